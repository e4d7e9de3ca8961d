// The collection techniques through their one entry point, runCollectionTechnique, with the real MobileNetV2 on
// WASM (from the cache, through the test registry as a host has it): "Find similar" ranks an augmented copy's
// original first among every shared image, by network and by pixels; "Arrange by similarity" puts 4 groups of 4
// augmented copies on a near-square grid where neighbours share their group; neither leaves tensors behind, and a
// cancelled job throws the typed 'cancelled' error.
import * as tf from '@tensorflow/tfjs';
import type { CollectionItem, CollectionResult } from '../../techniques/collection';
import { PasticheError } from '../../techniques/errors';
import type { JobProgress } from '../../techniques/job';
import { runCollectionTechnique } from '../../techniques/run-technique';
import { sessionEmbeddingCache } from '../../techniques/similar/embedder-for';
import { assetNames, readAsset, testContext, testNetworks, useWasmBackend, type ImageKind } from '../support/assets';
import { augment } from '../support/explore-augment';

const KINDS: ImageKind[] = ['content', 'styles', 'textures'];
/** Every shared image, with the id "kind/name". */
const shared: CollectionItem[] = KINDS.flatMap((kind) => assetNames(kind).map((name) => ({ id: `${kind}/${name}`, image: readAsset(kind, name) })));
const contentIds = shared.filter((item) => item.id.startsWith('content/')).map((item) => item.id);
const imageOf = (id: string) => shared.find((item) => item.id === id)!.image;

/** 4 groups (three photos, one painting) × 4 augmented copies (mirrored, cropped to 80%, hue-rotated). */
const GROUP_SOURCES = ['content/chelsea', 'content/coffee', 'content/astronaut', 'styles/starry_night'];
const GROUP = 4;
const groupItems = (seedBase: number): CollectionItem[] =>
  GROUP_SOURCES.flatMap((source, g) => Array.from({ length: GROUP }, (_, k) => ({ id: `g${g}-${k}`, image: augment(imageOf(source), seedBase + 100 * g + k) })));
const groupOf = (id: string) => id.slice(0, id.indexOf('-'));

beforeAll(async () => {
  await useWasmBackend();
  await testNetworks().get('mobilenet_v2'); // the weights, once, before any tensor count
}, 60_000);
afterAll(() => testNetworks().disposeAll());

function expectRankingOfEvery(result: CollectionResult, items: readonly CollectionItem[]): { id: string; score: number }[] {
  if (result.kind !== 'ranking') throw new Error(`expected a ranking, got ${result.kind}`);
  const { ranked } = result;
  expect(ranked.map((r) => r.id).sort()).toEqual(items.map((item) => item.id).sort()); // every item, once
  for (const [i, r] of ranked.entries()) {
    expect(r.score).toBeGreaterThanOrEqual(-1);
    expect(r.score).toBeLessThanOrEqual(1);
    if (i > 0) expect(r.score).toBeLessThanOrEqual(ranked[i - 1].score);
  }
  return ranked;
}

test('similar: an augmented copy of each content image ranks its original first among every shared image; pixels rank too', async () => {
  const lines: string[] = [];
  for (const [i, id] of contentIds.entries()) {
    const query = { id: 'query', image: augment(imageOf(id), 500 + i) };
    const ranked = expectRankingOfEvery(await runCollectionTechnique('similar', { query, items: shared }, {}, testContext()), shared);
    lines.push(`${id}: first ${ranked[0].id} ${ranked[0].score.toFixed(3)}, second ${ranked[1].id} ${ranked[1].score.toFixed(3)}`);
    expect(ranked[0].id).toBe(id);

    const byPixels = expectRankingOfEvery(await runCollectionTechnique('similar', { query, items: shared }, { compare: 'pixels' }, testContext()), shared);
    lines.push(`  pixels: first ${byPixels[0].id} ${byPixels[0].score.toFixed(3)}, original at rank ${byPixels.findIndex((r) => r.id === id) + 1}`);
  }
  console.log(`find similar among ${shared.length} shared images (MobileNetV2, then pixels):\n  ${lines.join('\n  ')}`);
}, 120_000);

test('similar: without a query it is a typed bad-selection error', async () => {
  await expect(runCollectionTechnique('similar', { items: shared }, {}, testContext())).rejects.toMatchObject({ code: 'bad-selection' });
});

/** Grid distance between two cells (L1 or Chebyshev). */
type Metric = (a: { col: number; row: number }, b: { col: number; row: number }) => number;
const l1: Metric = (a, b) => Math.abs(a.col - b.col) + Math.abs(a.row - b.row);
const chebyshev: Metric = (a, b) => Math.max(Math.abs(a.col - b.col), Math.abs(a.row - b.row));

/**
 * Per item, its nearest other items on the grid under `metric` (all those at the smallest distance, ties kept):
 * `some` = share of items with at least one of them from the own group; `mean` = mean share of own-group items
 * among them (stricter: a tie of one own and three others counts 1/4).
 */
function nearestSameGroup(cells: readonly { id: string; col: number; row: number }[], metric: Metric): { some: number; mean: number } {
  let some = 0;
  let mean = 0;
  for (const cell of cells) {
    const others = cells.filter((other) => other !== cell);
    const nearest = Math.min(...others.map((other) => metric(cell, other)));
    const closest = others.filter((other) => metric(cell, other) === nearest);
    const same = closest.filter((other) => groupOf(other.id) === groupOf(cell.id)).length;
    if (same > 0) some++;
    mean += same / closest.length;
  }
  return { some: some / cells.length, mean: mean / cells.length };
}

test('arrange: 4 groups × 4 augmented copies, every id once in its own cell of a near-square grid, neighbours share their group', async () => {
  const items = groupItems(2000);
  const progress: JobProgress[] = [];
  const started = Date.now();
  const result = await runCollectionTechnique('arrange', { items }, {}, testContext({ onProgress: (p) => progress.push(p) }));
  const ms = Date.now() - started;
  if (result.kind !== 'arrangement') throw new Error(`expected an arrangement, got ${result.kind}`);
  const { cells } = result;
  expect(cells.map((c) => c.id).sort()).toEqual(items.map((item) => item.id).sort());
  expect(new Set(cells.map((c) => `${c.col},${c.row}`)).size).toBe(items.length);
  const columns = Math.max(...cells.map((c) => c.col)) + 1;
  const rows = Math.max(...cells.map((c) => c.row)) + 1;
  expect(cells.every((c) => Number.isInteger(c.col) && Number.isInteger(c.row) && c.col >= 0 && c.row >= 0)).toBe(true);
  expect(columns * rows).toBeGreaterThanOrEqual(items.length);
  expect(Math.abs(columns - rows)).toBeLessThanOrEqual(1);
  expect(columns * rows).toBeLessThan(items.length + Math.max(columns, rows)); // no spare row or column
  expect(progress[progress.length - 1].fraction).toBe(1);

  const byL1 = nearestSameGroup(cells, l1);
  const byChebyshev = nearestSameGroup(cells, chebyshev);
  const picture = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, col) => cells.find((c) => c.col === col && c.row === row)?.id ?? '  .  ').join(' '),
  ).join('\n  ');
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(
    `arrange ${items.length} items on ${columns}x${rows} in ${ms} ms; nearest other item from the own group: ` +
      `L1 ${pct(byL1.some)} (mean share ${pct(byL1.mean)}), Chebyshev ${pct(byChebyshev.some)} (mean share ${pct(byChebyshev.mean)})\n  ${picture}`,
  );
  expect(byL1.some).toBeGreaterThanOrEqual(0.8);
  expect(byChebyshev.some).toBeGreaterThanOrEqual(0.8);
}, 120_000);

test('running each job twice leaves no tensors behind (the network runs both times)', async () => {
  const before = tf.memory().numTensors;
  const items = groupItems(3000);
  const query = { id: 'query', image: augment(imageOf('content/coffee'), 3999) };
  const counts: string[] = [];
  for (let run = 0; run < 2; run++) {
    sessionEmbeddingCache.clear(); // else the second run reads every vector from the session's cache
    await runCollectionTechnique('similar', { query, items: shared }, {}, testContext());
    counts.push(`similar ${tf.memory().numTensors - before}`);
    expect(tf.memory().numTensors).toBe(before);
    await runCollectionTechnique('similar', { query, items: shared }, { compare: 'pixels' }, testContext());
    expect(tf.memory().numTensors).toBe(before);
    sessionEmbeddingCache.clear();
    await runCollectionTechnique('arrange', { items }, {}, testContext());
    counts.push(`arrange ${tf.memory().numTensors - before}`);
    expect(tf.memory().numTensors).toBe(before);
  }
  // And from the cache, as a host's second run over the same layers goes.
  await runCollectionTechnique('arrange', { items }, {}, testContext());
  expect(tf.memory().numTensors).toBe(before);
  console.log(`tensors after each run, relative to before (${before} with the weights): ${counts.join(', ')}`);
}, 180_000);

test('a cancelled job throws PasticheError "cancelled": aborted before it starts, or during embedding / t-SNE', async () => {
  const items = groupItems(4000);
  const query = { id: 'query', image: augment(imageOf('content/astronaut'), 4999) };
  const before = tf.memory().numTensors;
  const aborted = new AbortController();
  aborted.abort();
  for (const [id, images] of [['similar', { query, items: shared }], ['arrange', { items }]] as const) {
    const run = runCollectionTechnique(id, images, {}, testContext({ signal: aborted.signal }));
    await expect(run).rejects.toBeInstanceOf(PasticheError);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  }

  // Mid-job: "similar" after its first batch of embeddings (the cache cleared so the network runs), "arrange" once
  // t-SNE has started.
  sessionEmbeddingCache.clear();
  const duringEmbedding = new AbortController();
  const messages: string[] = [];
  const similar = runCollectionTechnique(
    'similar',
    { query, items: shared },
    {},
    testContext({
      signal: duringEmbedding.signal,
      onProgress: ({ message }) => {
        if (message) messages.push(message);
        if (message && /^embedding [1-9]/.test(message)) duringEmbedding.abort();
      },
    }),
  );
  await expect(similar).rejects.toMatchObject({ code: 'cancelled' });
  expect(messages).toEqual(['embedding 0 of 11', 'embedding 8 of 11']);

  const duringTsne = new AbortController();
  const arrange = runCollectionTechnique(
    'arrange',
    { items },
    {},
    testContext({ signal: duringTsne.signal, onProgress: ({ message }) => void (message?.startsWith('t-SNE') && duringTsne.abort()) }),
  );
  await expect(arrange).rejects.toBeInstanceOf(PasticheError);
  await expect(arrange).rejects.toMatchObject({ code: 'cancelled' });
  expect(tf.memory().numTensors).toBe(before);
}, 120_000);

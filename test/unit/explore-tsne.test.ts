// t-SNE grid (techniques/tsne): four groups of five augmented copies of different images, embedded by the real
// MobileNetV2, keep their groups in the 2-D map; so do three synthetic Gaussian clusters; the grid puts one item per
// cell; frames never overlap; the assignment is optimal on small cases; t-SNE is seeded and honours cancel; timings
// for 50, 200 and 500 items are logged.
import * as tf from '@tensorflow/tfjs';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { PasticheError } from '../../techniques/errors';
import type { JobProgress } from '../../techniques/job';
import { seededRandom } from '../../techniques/random';
import { embedImages, mobileNetEmbedder } from '../../techniques/similar';
import { assignMinCost, assignToGrid, gridFrames, gridShape, tsne, tsneGrid, tsnePerplexity, type Point } from '../../techniques/tsne';
import { readAsset } from '../support/assets';
import { augment } from '../support/explore-augment';
import { exploreContext } from '../support/explore-context';
import { loadMobileNetV2, useWasmBackend } from '../support/explore-networks';

const sources = [readAsset('content', 'chelsea'), readAsset('content', 'coffee'), readAsset('content', 'astronaut'), readAsset('styles', 'starry_night')];
const GROUP = 5;
const items = sources.flatMap((image, g) => Array.from({ length: GROUP }, (_, k) => ({ group: g, image: augment(image, 1000 * g + k) })));

let net: MobileNetV2;
beforeAll(async () => {
  await useWasmBackend();
  net = await loadMobileNetV2();
}, 60_000);
afterAll(() => net?.dispose());

function gaussianVectors(n: number, dimension: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dimension }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
}

test('4 groups of 5 augmented copies: 4 nearest neighbours on the map share the group ≥ 80%; grid and frames are clean', async () => {
  const before = tf.memory().numTensors;
  const vectors = await embedImages(mobileNetEmbedder(net), items.map((i) => i.image), exploreContext());
  expect(tf.memory().numTensors).toBe(before);
  const progress: JobProgress[] = [];
  const started = Date.now();
  const grid = await tsneGrid(vectors, exploreContext({ onProgress: (p) => progress.push(p) }), { seed: 7 });
  const ms = Date.now() - started;
  // Each item's 4 nearest neighbours in the 2-D map.
  let same = 0;
  grid.positions.forEach(([x, y], i) => {
    const nearest = grid.positions
      .map(([u, v], j) => ({ j, d: (u - x) ** 2 + (v - y) ** 2 }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.d - b.d)
      .slice(0, GROUP - 1);
    same += nearest.filter(({ j }) => items[j].group === items[i].group).length;
  });
  const share = same / (items.length * (GROUP - 1));
  console.log(`t-SNE of ${items.length} MobileNetV2 embeddings (perplexity ${tsnePerplexity(items.length).toFixed(2)}): ${ms} ms; 4-NN from the same group ${(100 * share).toFixed(1)}%`);
  expect(share).toBeGreaterThanOrEqual(0.8);
  expect(progress[progress.length - 1].fraction).toBe(1);

  // The grid: near-square, one item per cell.
  expect([grid.columns, grid.rows]).toEqual([5, 4]);
  const cells = grid.items.map((c) => `${c.col},${c.row}`);
  expect(new Set(cells).size).toBe(items.length);
  expect(grid.items.every((c) => c.col >= 0 && c.col < grid.columns && c.row >= 0 && c.row < grid.rows)).toBe(true);

  // Frames for the images' own sizes: inside their cells, none overlapping.
  const layout = gridFrames(grid.items, items.map((i) => i.image), { cellSize: 96, gap: 8 });
  expect([layout.width, layout.height]).toEqual([5 * 96 + 4 * 8, 4 * 96 + 3 * 8]);
  layout.frames.forEach((f, i) => {
    const { col, row } = grid.items[i];
    expect(f.x).toBeGreaterThanOrEqual(col * 104);
    expect(f.y).toBeGreaterThanOrEqual(row * 104);
    expect(f.x + f.width).toBeLessThanOrEqual(col * 104 + 96);
    expect(f.y + f.height).toBeLessThanOrEqual(row * 104 + 96);
    expect(Math.max(f.width, f.height)).toBe(96); // scaled to fit the cell
    for (const g of layout.frames.slice(i + 1)) {
      expect(f.x + f.width <= g.x || g.x + g.width <= f.x || f.y + f.height <= g.y || g.y + g.height <= f.y).toBe(true);
    }
  });
}, 120_000);

test('the grid assignment is the minimum-cost one (brute force on small cases) and handles odd counts', () => {
  const random = seededRandom(3);
  const permutations = (m: number, k: number): number[][] => (k === 0 ? [[]] : permutations(m, k - 1).flatMap((p) => [...Array(m).keys()].filter((j) => !p.includes(j)).map((j) => [...p, j])));
  for (const [n, m] of [[3, 3], [4, 6], [5, 5], [6, 7]] as const) {
    for (let trial = 0; trial < 5; trial++) {
      const cost = Array.from({ length: n * m }, () => random());
      const assignment = assignMinCost(cost, n, m);
      const total = (p: ArrayLike<number>) => Array.from(p).reduce((s, j, i) => s + cost[i * m + j], 0);
      const best = Math.min(...permutations(m, n).map(total));
      expect(new Set(assignment).size).toBe(n);
      expect(total(assignment)).toBeCloseTo(best, 10);
    }
  }
  for (const n of [1, 2, 3, 7, 10, 17]) {
    const points: Point[] = Array.from({ length: n }, () => [random(), random()]);
    const { items: placed, columns, rows } = assignToGrid(points);
    expect({ columns, rows }).toEqual(gridShape(n));
    expect(new Set(placed.map((c) => c.row * columns + c.col)).size).toBe(n);
  }
  // Points already on a grid land in their own cells.
  const onGrid: Point[] = [...Array(12).keys()].map((i) => [i % 4, Math.floor(i / 4)]);
  expect(assignToGrid(onGrid).items.map((c) => [c.col, c.row])).toEqual(onGrid);
  expect(tsnePerplexity(4)).toBe(1);
  expect(tsnePerplexity(20)).toBeCloseTo(19 / 3);
  expect(tsnePerplexity(500)).toBe(30);
});

test('t-SNE is seeded (same seed, same map) and honours cancel', async () => {
  const vectors = gaussianVectors(40, 16, 5);
  const a = await tsne(vectors, exploreContext(), { seed: 3, iterations: 100 });
  const b = await tsne(vectors, exploreContext(), { seed: 3, iterations: 100 });
  expect(b).toEqual(a);
  const cancel = new AbortController();
  const run = tsne(vectors, exploreContext({ signal: cancel.signal, onProgress: () => cancel.abort() }), { iterations: 500 });
  await expect(run).rejects.toBeInstanceOf(PasticheError);
  await expect(run).rejects.toMatchObject({ code: 'cancelled' });
});

/** `clusters` Gaussian clusters of `size` points in `dimension`-D: centres far apart (spread 10), unit noise. */
function gaussianClusters(clusters: number, size: number, dimension: number, seed: number): { vectors: Float32Array[]; labels: number[] } {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const vectors: Float32Array[] = [];
  const labels: number[] = [];
  for (let c = 0; c < clusters; c++) {
    const centre = Array.from({ length: dimension }, () => 10 * normal());
    for (let k = 0; k < size; k++) {
      vectors.push(Float32Array.from(centre, (x) => x + normal()));
      labels.push(c);
    }
  }
  return { vectors, labels };
}

test('t-SNE of 3 well-separated Gaussian clusters (30 points in 50-D): ≥ 95% of 2-D nearest neighbours share the cluster', async () => {
  const { vectors, labels } = gaussianClusters(3, 30, 50, 11);
  const progress: JobProgress[] = [];
  const positions = await tsne(vectors, exploreContext({ onProgress: (p) => progress.push(p) }), { seed: 2, progressRange: [0.2, 0.9] });
  expect(positions).toHaveLength(vectors.length);
  expect(positions.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true);
  const NEIGHBOURS = 5;
  let same = 0;
  positions.forEach(([x, y], i) => {
    const nearest = positions
      .map(([u, v], j) => ({ j, d: (u - x) ** 2 + (v - y) ** 2 }))
      .filter(({ j }) => j !== i)
      .sort((a, b) => a.d - b.d)
      .slice(0, NEIGHBOURS);
    same += nearest.filter(({ j }) => labels[j] === labels[i]).length;
  });
  expect(same / (positions.length * NEIGHBOURS)).toBeGreaterThanOrEqual(0.95);
  // Progress fills its range, in order, ending at its top.
  expect(progress.map((p) => p.fraction)).toEqual([...progress.map((p) => p.fraction)].sort((a, b) => a - b));
  expect(progress[0].fraction).toBeGreaterThan(0.2);
  expect(progress[progress.length - 1].fraction).toBeCloseTo(0.9, 12);
  expect(progress[progress.length - 1].message).toBe('t-SNE 500 of 500');

  // Same seed, same map; another seed, another map.
  expect(await tsne(vectors, exploreContext(), { seed: 2 })).toEqual(positions);
  expect(await tsne(vectors, exploreContext(), { seed: 3 })).not.toEqual(positions);

  // An already aborted job does no work.
  const aborted = new AbortController();
  aborted.abort();
  await expect(tsne(vectors, exploreContext({ signal: aborted.signal }))).rejects.toMatchObject({ code: 'cancelled' });
});

test('t-SNE of tiny inputs: fixed answers below 3 points, a real map from 3, centred on 0; mismatched lengths are refused', async () => {
  expect(await tsne([], exploreContext())).toEqual([]);
  expect(await tsne([[1, 2]], exploreContext())).toEqual([[0, 0]]);
  expect(await tsne([[1, 2], [3, 4]], exploreContext())).toEqual([[-1, 0], [1, 0]]);
  const three = await tsne([[0, 0], [0, 1], [5, 5]], exploreContext());
  expect(three).toHaveLength(3);
  expect(Math.abs(three.reduce((s, p) => s + p[0], 0))).toBeLessThan(1e-9);
  // Identical points (all distances 0) still give finite positions.
  const same = await tsne([[1, 1], [1, 1], [1, 1], [1, 1]], exploreContext(), { iterations: 50 });
  expect(same.flat().every(Number.isFinite)).toBe(true);
  await expect(tsne([[1, 2], [3], [4, 5]], exploreContext())).rejects.toBeInstanceOf(RangeError);
});

test('t-SNE timings for 50, 200 and 500 random 1280-d items (logged)', async () => {
  const lines: string[] = [];
  for (const n of [50, 200, 500]) {
    const vectors = gaussianVectors(n, 1280, n);
    const started = Date.now();
    const positions = await tsne(vectors, exploreContext(), { seed: 1 });
    const tsneMs = Date.now() - started;
    const gridStarted = Date.now();
    assignToGrid(positions);
    lines.push(`${n} items: t-SNE (500 iterations) ${tsneMs} ms, grid assignment ${Date.now() - gridStarted} ms`);
  }
  console.log(`t-SNE timings:\n  ${lines.join('\n  ')}`);
}, 180_000);

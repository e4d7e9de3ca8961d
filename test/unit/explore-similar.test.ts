// "Find similar" (techniques/similar) with the real MobileNetV2 on WASM: an augmented copy (mirrored, cropped to
// 80%, hue-rotated) of each content image finds its original first among every other image, which raw pixels do
// not always manage (the lecture's point); the cache makes a second search instant; batch embedding reports
// progress and honours cancel; no tensors are left behind.
import * as tf from '@tensorflow/tfjs';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { PasticheError } from '../../techniques/errors';
import type { RgbaImage } from '../../techniques/image';
import type { JobProgress } from '../../techniques/job';
import { type Embedder, createEmbeddingCache, embedImages, findSimilar, fnv1a, imageHash, mobileNetEmbedder, pixelEmbedder, rankBySimilarity } from '../../techniques/similar';
import { assetNames, readAsset } from '../support/assets';
import { augment } from '../support/explore-augment';
import { exploreContext } from '../support/explore-context';
import { loadMobileNetV2, useWasmBackend } from '../support/explore-networks';

const contentNames = assetNames('content');
const distractorNames = [...assetNames('styles'), ...assetNames('textures')];
const originals = [...contentNames.map((n) => readAsset('content', n)), ...distractorNames.map((n) => readAsset(assetNames('styles').includes(n) ? 'styles' : 'textures', n))];
const names = [...contentNames, ...distractorNames];
const copies = originals.map((image, i) => augment(image, 100 + i));

let net: MobileNetV2;
beforeAll(async () => {
  await useWasmBackend();
  net = await loadMobileNetV2();
}, 60_000);
afterAll(() => net?.dispose());

/** For each image i: does its augmented copy find the original first among all other images (originals and
 *  copies, 2n − 1 candidates)? */
async function copyFindsOriginal(embedder: Embedder): Promise<boolean[]> {
  const vectors = await embedImages(embedder, [...originals, ...copies], exploreContext());
  const n = originals.length;
  return originals.map((_, i) => rankBySimilarity(vectors[n + i], vectors, [n + i])[0].index === i);
}

test('MobileNetV2 embeddings: every augmented copy ranks its original first; raw pixels do not always', async () => {
  const started = Date.now();
  const deep = await copyFindsOriginal(mobileNetEmbedder(net));
  const seconds = (Date.now() - started) / 1000;
  const pixels = await copyFindsOriginal(pixelEmbedder());
  const line = (hits: boolean[]) => `${hits.filter(Boolean).length}/${hits.length} (misses: ${names.filter((_, i) => !hits[i]).join(', ') || 'none'})`;
  console.log(`copy finds its original first among ${2 * originals.length - 1}: MobileNetV2 ${line(deep)} in ${seconds.toFixed(1)} s; pixels 32 px ${line(pixels)}`);
  contentNames.forEach((_, i) => expect(deep[i]).toBe(true));
  expect(pixels.filter(Boolean).length).toBeLessThan(pixels.length);
}, 120_000);

test('a second search over the same images comes from the cache (nothing embedded again), with the same ranking', async () => {
  let embedded = 0;
  const inner = mobileNetEmbedder(net);
  const counting: Embedder = { ...inner, embed: (images) => ((embedded += images.length), inner.embed(images)) };
  const cache = createEmbeddingCache();
  const query = copies[1];
  const first = await findSimilar(counting, query, originals, exploreContext(), { cache });
  expect(embedded).toBe(originals.length + 1);
  const started = performance.now();
  const second = await findSimilar(counting, query, originals, exploreContext(), { cache });
  const ms = performance.now() - started;
  console.log(`second search over ${originals.length + 1} images: ${ms.toFixed(1)} ms (cache ${cache.size} entries)`);
  expect(embedded).toBe(originals.length + 1); // nothing embedded again
  expect(second).toEqual(first);
  expect(first[0].index).toBe(1);
  // Another embedding space never reads these vectors.
  await embedImages(pixelEmbedder(), [query], exploreContext(), { cache });
  expect(cache.size).toBe(originals.length + 2);
}, 60_000);

test('image hash: FNV-1a test vectors; same pixels same key; a changed pixel or another size differ; fast', () => {
  const bytes = (text: string) => Uint8ClampedArray.from(Buffer.from(text));
  expect(fnv1a(bytes('a'), 0, 1, 0x811c9dc5).toString(16)).toBe('e40c292c');
  expect(fnv1a(bytes('foobar'), 0, 1, 0x811c9dc5).toString(16)).toBe('bf9cf968');
  const a = originals[contentNames.indexOf('chelsea')];
  const copy: RgbaImage = { width: a.width, height: a.height, data: Uint8ClampedArray.from(a.data) };
  expect(imageHash(copy)).toBe(imageHash(a));
  copy.data[0] ^= 1;
  expect(imageHash(copy)).not.toBe(imageHash(a));
  const transposed: RgbaImage = { width: a.height, height: a.width, data: a.data };
  expect(imageHash(transposed)).not.toBe(imageHash(a));
  expect(new Set(originals.map(imageHash)).size).toBe(originals.length);
  const started = performance.now();
  for (let i = 0; i < 100; i++) imageHash(a);
  console.log(`image hash of ${a.width}x${a.height}: ${((performance.now() - started) / 100).toFixed(3)} ms`);
});

test('batch embedding: progress over the whole batch, cancel between batches, no tensors left (twice)', async () => {
  const images = [...originals, ...copies].slice(0, 16);
  const embedder = mobileNetEmbedder(net, { batchSize: 4 });
  for (let run = 0; run < 2; run++) {
    const before = tf.memory().numTensors;
    const progress: JobProgress[] = [];
    const vectors = await embedImages(embedder, images, exploreContext({ onProgress: (p) => progress.push(p) }));
    expect(vectors).toHaveLength(16);
    expect(vectors.every((v) => v.length === 1280 && Math.abs(Math.hypot(...v) - 1) < 1e-4)).toBe(true);
    expect(progress.map((p) => p.message)).toEqual(['embedding 0 of 16', 'embedding 4 of 16', 'embedding 8 of 16', 'embedding 12 of 16', 'embedding 16 of 16']);
    expect(tf.memory().numTensors).toBe(before);

    const cancel = new AbortController();
    let batches = 0;
    const cancelled = embedImages(embedder, images, exploreContext({ signal: cancel.signal, onProgress: () => ++batches === 2 && cancel.abort() }));
    await expect(cancelled).rejects.toBeInstanceOf(PasticheError);
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(batches).toBe(2); // one batch ran, then the cancel was honoured
    expect(tf.memory().numTensors).toBe(before);
  }
}, 120_000);

test('throughput of MobileNetV2 embeddings at 224 px (logged)', async () => {
  const images = copies.slice(0, 8);
  await embedImages(mobileNetEmbedder(net), images.slice(0, 1), exploreContext()); // warm-up
  for (const batchSize of [1, 8]) {
    const started = Date.now();
    await embedImages(mobileNetEmbedder(net, { batchSize }), images, exploreContext());
    const seconds = (Date.now() - started) / 1000;
    console.log(`MobileNetV2 embedding at 224 px, batch ${batchSize}: ${(images.length / seconds).toFixed(1)} images/s (incl. resampling)`);
  }
}, 120_000);

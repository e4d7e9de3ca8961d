// The "Explore the network" collection cases (issue #10): MobileNetV2 embedding throughput, as Find similar and
// Arrange by similarity embed layers, and the t-SNE map of Arrange by similarity on random vectors.
import * as tf from '@tensorflow/tfjs';
import { silentContext } from '../../techniques/job';
import { seededRandom } from '../../techniques/random';
import { embedImages, mobileNetEmbedder } from '../../techniques/similar';
import { DEFAULT_TSNE, assignToGrid, tsne } from '../../techniques/tsne';
import type { RgbaImage } from '../../techniques/image';
import { pageNetworks } from './backend';
import { coldAndWarm, peakBytesDuring, repeatTimed } from './measure';
import type { CaseMeasure } from './protocol';

/** Timed warm runs of the embedding case: until this many, or until they have taken this long (at least one). */
const WARM_RUNS = 5;
const WARM_BUDGET_MS = 5000;

/** `count` distinct opaque side × side images (the pattern of syntheticImage, shifted per image). */
function distinctImages(count: number, side: number): RgbaImage[] {
  return Array.from({ length: count }, (_, k) => {
    const data = new Uint8ClampedArray(side * side * 4);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const i = (y * side + x) * 4;
        data[i] = ((x + 7 * k) * 255) / side;
        data[i + 1] = ((y + 13 * k) * 255) / side;
        data[i + 2] = 128 + 127 * Math.sin((x + y + 5 * k) / (9 + k));
        data[i + 3] = 255;
      }
    }
    return { width: side, height: side, data };
  });
}

/**
 * MobileNetV2 embeddings of `count` side px images in batches of `batchSize`, through the jobs' own path
 * (embedImages: resampling to the 224 px view, hashing, the batched forward pass, read-back; no cache). The
 * network is loaded first (not timed); cold = the one warm-up batch (shader compiles, weight upload, WASM warm-up);
 * warm = median time of the whole set after it, reported as images/s.
 */
export async function embeddingCase(side: number, count: number, batchSize: number): Promise<CaseMeasure> {
  let started = performance.now();
  const net = await pageNetworks().get('mobilenet_v2');
  const loadMs = performance.now() - started;
  const embedder = mobileNetEmbedder(net, { batchSize });
  const images = distinctImages(count, side);
  const run = async () => void (await embedImages(embedder, images, silentContext()));
  started = performance.now();
  await embedder.embed(images.slice(0, batchSize));
  const coldMs = performance.now() - started;
  const tensorsBefore = tf.memory().numTensors;
  started = performance.now();
  const { peakBytes } = await peakBytesDuring(run);
  const { times, medianMs: warmMs } = await repeatTimed(run, performance.now() - started, WARM_RUNS, WARM_BUDGET_MS);
  return {
    coldMs,
    warmMs,
    peakBytes,
    tensorsLeftOver: tf.memory().numTensors - tensorsBefore,
    extra: {
      images: count,
      batchSize,
      imagesPerSecond: Math.round((count / warmMs) * 1000 * 10) / 10,
      msPerImage: Math.round((warmMs / count) * 10) / 10,
      fastestImagesPerSecond: Math.round((count / times[0]) * 1000 * 10) / 10,
      loadMs: Math.round(loadMs),
      warmRuns: times.length,
    },
  };
}

/** `n` seeded standard-normal vectors of `dimension` (as the t-SNE unit test's timing uses). */
function gaussianVectors(n: number, dimension: number, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dimension }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
}

/**
 * t-SNE (the default options: 500 iterations; seed 1) of `n` random `dimension`-d vectors: cold = first run, warm = median of
 * the next. Pure JavaScript, whatever the page's TF.js backend; the grid assignment of its result is timed apart
 * (extra.gridMs). The job yields to the event loop every 25 iterations (setTimeout 0, clamped to 4 ms when nested).
 */
export async function tsneCase(n: number, dimension: number, seed: number): Promise<CaseMeasure> {
  const vectors = gaussianVectors(n, dimension, seed);
  let positions: Awaited<ReturnType<typeof tsne>> = [];
  const measure = await coldAndWarm(async () => {
    positions = await tsne(vectors, silentContext(), { seed: 1 });
  });
  // The exact grid assignment (O(n³)) of the map: median of up to 3 runs (one alone varied 0.25-4.8 s at 500 items).
  let grid: ReturnType<typeof assignToGrid> | undefined;
  const { times: gridTimes, medianMs: gridMs } = await repeatTimed(() => (grid = assignToGrid(positions)), null, 3, WARM_BUDGET_MS);
  return {
    ...measure,
    extra: {
      ...measure.extra,
      items: n,
      dimension,
      iterations: DEFAULT_TSNE.iterations,
      gridMs: Math.round(gridMs),
      gridRuns: gridTimes.length,
      grid: `${grid!.columns}x${grid!.rows}`,
    },
  };
}

// The neural method of texture fill (Gatys texture synthesis, real VGG19 on tfjs WASM) on the shared textures:
// statistics as close to the sample as the sample's own halves are to each other, far from noise, not a copy,
// seamless, no pixel-scale hatching, seeded, cancellable, stop-and-keep, no tensor left behind.
// Samples: each shared 512 px texture area-reduced to 128 px; outputs 128 px (one stage: ≤ COARSEST_SIDE), seamless
// as texture fill always is. The Gram metric (test/support/texture-quality.ts) is at the sample's pixel scale.
import * as tf from '@tensorflow/tfjs';
import { writeImageFile } from '../../cli/image-files';
import type { Vgg19 } from '../../models/networks/vgg19';
import { PasticheError } from '../../techniques/errors';
import type { RgbaImage } from '../../techniques/image';
import type { JobProgress } from '../../techniques/job';
import { type NeuralTextureOptions, planStages, sampleAtScale, synthesizeNeuralTexture } from '../../techniques/texture/neural';
import { makeSeamlessNeural } from '../../techniques/texture/seamless';
import { copiedPatchFraction, gramDistance, halvesFloor, loadVgg19, meanColouredNoiseImage, textureSample, tile2x2, wrapStep } from '../support/texture-quality';

const TEXTURES = ['brick', 'grass', 'gravel'] as const;
const STEPS = 20;

let vgg: Vgg19;
beforeAll(async () => {
  vgg = await loadVgg19();
}, 60_000);
afterAll(() => vgg?.dispose());

function run(sample: RgbaImage, options: Partial<NeuralTextureOptions>, context: { signal?: AbortSignal; finishEarly?: AbortSignal; onProgress?: (p: JobProgress) => void } = {}) {
  return synthesizeNeuralTexture(vgg, sample, { width: 128, height: 128, steps: STEPS, seed: 1, seamless: true, ...options }, {
    signal: context.signal ?? new AbortController().signal,
    finishEarly: context.finishEarly,
    onProgress: context.onProgress ?? (() => undefined),
  });
}

/**
 * Mean |(a − b − c + d) / 2| over the 2x2 blocks of the grey image (wrapping): the energy of the finest pattern a
 * pixel grid holds. A fine hatching (what VGG's max-pools let through) shows as several times the sample's.
 */
function checkerboardEnergy(image: RgbaImage): number {
  const { width: w, height: h, data } = image;
  const grey = (x: number, y: number) => {
    const p = ((y % h) * w + (x % w)) * 4;
    return (data[p] + data[p + 1] + data[p + 2]) / 3;
  };
  let sum = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) sum += Math.abs(grey(x, y) - grey(x + 1, y) - grey(x, y + 1) + grey(x + 1, y + 1)) / 2;
  return sum / (w * h);
}

async function measure(name: string, loss: 'gram' | 'swd') {
  const sample = textureSample(name, 128);
  const started = Date.now();
  const result = await run(sample, { loss });
  const seconds = (Date.now() - started) / 1000;
  if (process.env.PASTICHE_TEXTURE_PNG) writeImageFile(`${process.env.PASTICHE_TEXTURE_PNG}-${name}-${loss}.png`, tile2x2(result.image));
  const distance = await gramDistance(vgg, result.image, sample);
  const floor = await halvesFloor(vgg, sample);
  const noise = await gramDistance(vgg, meanColouredNoiseImage(sample, 128, 128, 7), sample);
  const copied = copiedPatchFraction(result.image, sample);
  const wrap = wrapStep(result.image);
  const hatching = checkerboardEnergy(result.image) / checkerboardEnergy(sample);
  console.log(
    `neural ${loss} ${name} 128 px, ${result.stepsRun} of ${result.stepsPlanned} steps (${result.ended}) in ${seconds.toFixed(1)} s: Gram distance ${distance.toFixed(4)}; ` +
      `halves floor ${floor.mean.toFixed(4)} [left-right ${floor.leftRight.toFixed(4)}, top-bottom ${floor.topBottom.toFixed(4)}] -> ratio ${(distance / floor.mean).toFixed(3)}; ` +
      `noise ${noise.toFixed(4)} -> ratio ${(distance / noise).toFixed(4)}; copied patches ${(100 * copied).toFixed(1)} %; wrap step ${wrap.ratio.toFixed(3)}; checkerboard energy / sample's ${hatching.toFixed(2)}`,
  );
  return { result, distance, floor, noise, copied, wrap, hatching };
}

describe.each(TEXTURES)('%s, Gram loss', (name) => {
  test('near the sample (≤ 3x its halves, ≤ 0.15x noise), not a copy, seamless, no pixel hatching', async () => {
    const m = await measure(name, 'gram');
    expect(m.result.image.width).toBe(128);
    expect(m.result.image.data.filter((_, i) => i % 4 === 3).every((v) => v === 255)).toBe(true);
    expect(m.result.stepsRun).toBeGreaterThanOrEqual(1);
    expect(m.result.stepsRun).toBeLessThanOrEqual(STEPS);
    expect(m.distance).toBeLessThanOrEqual(3 * m.floor.mean);
    expect(m.distance).toBeLessThanOrEqual(0.15 * m.noise);
    expect(m.copied).toBeLessThanOrEqual(0.1);
    expect(m.wrap.ratio).toBeLessThanOrEqual(1.2);
    // Without the pixel-scale term brick scored 2.9 here (a grey hatching beside the mortar lines).
    expect(m.hatching).toBeLessThanOrEqual(1.5);
  }, 120_000);
});

// SWD costs ~1.7x Gram per step here (a sort of every feature projection); one texture by default, all three with
// PASTICHE_TEXTURE_SWD_ALL=1 (the comparison in the report).
describe.each(process.env.PASTICHE_TEXTURE_SWD_ALL ? TEXTURES : (['brick'] as const))('%s, sliced Wasserstein loss', (name) => {
  test('meets the same bars', async () => {
    const m = await measure(name, 'swd');
    expect(m.distance).toBeLessThanOrEqual(3 * m.floor.mean);
    expect(m.distance).toBeLessThanOrEqual(0.15 * m.noise);
    expect(m.copied).toBeLessThanOrEqual(0.1);
    expect(m.wrap.ratio).toBeLessThanOrEqual(1.2);
    expect(m.hatching).toBeLessThanOrEqual(1.5);
  }, 120_000);
});

test('same seed, same output; another seed, another; tensors back to baseline after running twice', async () => {
  const sample = textureSample('gravel', 64);
  const options = { width: 64, height: 48, steps: 3 };
  const before = tf.memory().numTensors;
  const a = await run(sample, { ...options, seed: 4 });
  const b = await run(sample, { ...options, seed: 4 });
  const c = await run(sample, { ...options, seed: 5 });
  const d = await run(sample, { ...options, seed: 4, loss: 'swd' });
  expect(tf.memory().numTensors).toBe(before);
  expect([a.image.width, a.image.height]).toEqual([64, 48]);
  expect(Buffer.compare(Buffer.from(a.image.data), Buffer.from(b.image.data))).toBe(0);
  expect(Buffer.compare(Buffer.from(a.image.data), Buffer.from(c.image.data))).not.toBe(0);
  expect(Buffer.compare(Buffer.from(a.image.data), Buffer.from(d.image.data))).not.toBe(0);
}, 120_000);

test('cancel throws a cancelled PasticheError (before the start and between steps), leaving no tensor', async () => {
  const sample = textureSample('grass', 64);
  const before = tf.memory().numTensors;
  const aborted = new AbortController();
  aborted.abort();
  await expect(run(sample, { width: 64, height: 64 }, { signal: aborted.signal })).rejects.toMatchObject({ name: 'PasticheError', code: 'cancelled' });
  const midway = new AbortController();
  const error = await run(sample, { width: 64, height: 64, steps: 10 }, { signal: midway.signal, onProgress: () => midway.abort() }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PasticheError);
  expect((error as PasticheError).code).toBe('cancelled');
  expect(tf.memory().numTensors).toBe(before);
}, 60_000);

test('stop and keep returns the best image so far and says how many steps ran; previews arrive at the output size', async () => {
  const sample = textureSample('brick', 64);
  const finish = new AbortController();
  const messages: string[] = [];
  const previews: RgbaImage[] = [];
  const result = await run(sample, { width: 64, height: 64, steps: 30, previewEvery: 2, earlyStop: null }, {
    finishEarly: finish.signal,
    onProgress: (p) => {
      if (p.message) messages.push(p.message);
      if (p.preview) previews.push(p.preview);
      if (messages.length === 3) finish.abort();
    },
  });
  expect(messages).toEqual(['step 1 of 30', 'step 2 of 30', 'step 3 of 30']);
  expect(result.stepsRun).toBe(3);
  expect(result.ended).toBe('finished-early');
  expect(previews).toHaveLength(2); // step 1, then every 2 steps
  expect([previews[0].width, previews[0].height]).toEqual([64, 64]);
  expect(result.image.width).toBe(64);
}, 60_000);

test('scale and stages: the sample is seen at its pixel scale times `scale`; large outputs start at ≤ 256 px', () => {
  const sample = textureSample('gravel', 128);
  expect([sampleAtScale(sample, 1).width, sampleAtScale(sample, 2).width, sampleAtScale(sample, 0.5).width]).toEqual([128, 256, 64]);
  expect(() => sampleAtScale(sample, 0.1)).toThrow(PasticheError); // 13 px: too small to describe
  expect(planStages(4096, 4096, { width: 2048, height: 2048 }, 256).map((s) => s.width)).toEqual([256, 512, 1024, 2048, 4096]);
  expect(planStages(4096, 1024, { width: 512, height: 512 }, 256).map((s) => `${s.width}x${s.height}`)).toEqual(['512x128', '1024x256', '2048x512', '4096x1024']);
  expect(planStages(200, 200, { width: 128, height: 128 }, 256)).toEqual([{ width: 200, height: 200 }]);
});

test('make seamless (neural): the size of the sample, periodic', async () => {
  const sample = textureSample('grass', 64);
  const result = await makeSeamlessNeural(vgg, sample, { steps: 5, seed: 2 }, { signal: new AbortController().signal, onProgress: () => undefined });
  const wrap = wrapStep(result.image);
  console.log(`make seamless (neural) grass 64 px, ${result.stepsRun} steps: wrap-around step / interior ${wrapStep(sample).ratio.toFixed(2)} -> ${wrap.ratio.toFixed(3)}`);
  expect([result.image.width, result.image.height]).toEqual([64, 64]);
  expect(wrap.ratio).toBeLessThanOrEqual(1.2);
}, 60_000);

test('outputs smaller than the working side come out at their size (cropped, or shrunk on the torus when seamless)', async () => {
  const sample = textureSample('gravel', 64);
  for (const seamless of [false, true]) {
    const result = await run(sample, { width: 10, height: 24, steps: 2, seamless });
    expect([result.image.width, result.image.height]).toEqual([10, 24]);
  }
}, 60_000);

test('bad sizes and parameters are typed errors', async () => {
  const sample = textureSample('brick', 64);
  await expect(run(sample, { width: 5000 })).rejects.toMatchObject({ code: 'too-large' });
  await expect(run(sample, { width: 0 })).rejects.toMatchObject({ code: 'bad-params' });
  await expect(run(sample, { height: 10.5 })).rejects.toMatchObject({ code: 'bad-params' });
  await expect(run(sample, { steps: 0 })).rejects.toMatchObject({ code: 'bad-params' });
  await expect(run(sample, { scale: -1 })).rejects.toMatchObject({ code: 'bad-params' });
});

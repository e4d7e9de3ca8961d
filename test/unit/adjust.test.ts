// The basic techniques on the CPU backend: what they compute, alpha kept, parameters checked, no tensor left over.
import * as tf from '@tensorflow/tfjs';
import { runTechnique } from '../../techniques/run-technique';
import { blurPasses } from '../../techniques/blur/run';
import { createRgbaImage, type RgbaImage } from '../../techniques/image';
import { silentContext } from '../../techniques/job';
import { splitIntoTiles } from '../../techniques/geometry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return createRgbaImage(width, height, data);
}

const gradient = image(16, 8, (x, y) => [x * 16, y * 32, 200, 255 - x]);

test('invert: 255 - value on RGB, alpha untouched; amount mixes with the original', async () => {
  const inverted = await runTechnique('invert', { source: gradient }, { amount: 1 }, silentContext());
  for (let i = 0; i < gradient.data.length; i += 4) {
    expect([inverted.data[i], inverted.data[i + 1], inverted.data[i + 2], inverted.data[i + 3]]).toEqual([
      255 - gradient.data[i], 255 - gradient.data[i + 1], 255 - gradient.data[i + 2], gradient.data[i + 3],
    ]);
  }
  const half = await runTechnique('invert', { source: gradient }, { amount: 0.5 }, silentContext());
  expect(half.data[0]).toBeCloseTo(127.5, -0.5);
});

test('grayscale: BT.601 luma in every channel', async () => {
  const gray = await runTechnique('grayscale', { source: gradient }, { amount: 1 }, silentContext());
  for (let i = 0; i < gradient.data.length; i += 4) {
    const luma = 0.299 * gradient.data[i] + 0.587 * gradient.data[i + 1] + 0.114 * gradient.data[i + 2];
    expect(Math.abs(gray.data[i] - luma)).toBeLessThanOrEqual(1);
    expect(gray.data[i + 1]).toBe(gray.data[i]);
    expect(gray.data[i + 2]).toBe(gray.data[i]);
  }
});

test('blur smooths a step, keeps a flat colour and does not bleed black from transparent pixels', async () => {
  const step = image(32, 4, (x) => (x < 16 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
  const blurred = await runTechnique('blur', { source: step }, { radius: 4 }, silentContext());
  const row = Array.from({ length: 32 }, (_, x) => blurred.data[(1 * 32 + x) * 4]);
  expect(row[15]).toBeGreaterThan(40);
  expect(row[16]).toBeLessThan(215);
  for (let x = 1; x < 32; x++) expect(row[x]).toBeGreaterThanOrEqual(row[x - 1]);

  // Red on the left half, fully transparent (black) on the right: the red that stays visible stays pure red.
  const halfTransparent = image(32, 4, (x) => (x < 16 ? [255, 0, 0, 255] : [0, 0, 0, 0]));
  const edge = await runTechnique('blur', { source: halfTransparent }, { radius: 4 }, silentContext());
  const i = (1 * 32 + 16) * 4;
  expect(edge.data[i + 3]).toBeGreaterThan(0);
  expect(edge.data[i]).toBeGreaterThanOrEqual(250);
  expect(blurPasses(4)).toBe(6);
});

test('a job run twice leaves no tensor behind', async () => {
  await runTechnique('blur', { source: gradient }, { radius: 2 }, silentContext());
  const before = tf.memory().numTensors;
  for (let run = 0; run < 2; run++) {
    await runTechnique('invert', { source: gradient }, { amount: 1 }, silentContext());
    await runTechnique('grayscale', { source: gradient }, { amount: 0.3 }, silentContext());
    await runTechnique('blur', { source: gradient }, { radius: 3 }, silentContext());
  }
  expect(tf.memory().numTensors).toBe(before);
});

test('bad parameters and a cancelled job give typed errors and leak nothing', async () => {
  const before = tf.memory().numTensors;
  await expect(runTechnique('blur', { source: gradient }, { radius: 0 }, silentContext())).rejects.toMatchObject({ code: 'bad-params' });
  await expect(runTechnique('invert', { source: gradient }, { amount: 2 }, silentContext())).rejects.toMatchObject({ code: 'bad-params' });
  const controller = new AbortController();
  let passes = 0;
  const cancelling = runTechnique('blur', { source: gradient }, { radius: 20 }, silentContext({
    signal: controller.signal,
    onProgress: () => {
      if (++passes === 2) controller.abort();
    },
  }));
  await expect(cancelling).rejects.toMatchObject({ code: 'cancelled' });
  expect(tf.memory().numTensors).toBe(before);
});

test('results are split into tiles of at most 4096 px that cover the image exactly once', () => {
  const tiles = splitIntoTiles(10000, 5000, 4096);
  expect(tiles).toHaveLength(6);
  expect(Math.max(...tiles.map((t) => Math.max(t.width, t.height)))).toBeLessThanOrEqual(4096);
  expect(tiles.reduce((area, t) => area + t.width * t.height, 0)).toBe(10000 * 5000);
  expect(splitIntoTiles(300, 200, 4096)).toEqual([{ x: 0, y: 0, width: 300, height: 200 }]);
});

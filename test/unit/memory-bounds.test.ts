// Memory bounded by design: views are cropped before they are scaled (a 1 × 20000 style took 15 GB when scaled
// first), pointwise techniques run band by band (an 8192² invert as one tensor aborted WASM), and an optimisation
// whose memory grows with its pixels works at the largest size that fits the budget (the Gatys job, whose gradient
// is computed on tiles, at every size a result may have).
import * as tf from '@tensorflow/tfjs';
import { centreSquare, createRgbaImage } from '../../techniques/image';
import { fitToMemory, JOB_MEMORY_BUDGET, tileSideFor } from '../../techniques/memory';
import { silentContext } from '../../techniques/job';
import { runTechnique } from '../../techniques/run-technique';
import { styleView } from '../../techniques/style/bottleneck';
import { GATYS_BYTES_PER_PIXEL, GATYS_TILE_BYTES, gatysWorkingSize } from '../../techniques/style/gatys';
import { MAX_RESULT_SIDE } from '../../techniques/style/spec';
import { squareView } from '../../techniques/similar/view';
import { BAND_PIXELS } from '../../techniques/tensor-image';
import { PasticheError } from '../../techniques/errors';

const stripe = (width: number, height: number) => {
  const image = createRgbaImage(width, height);
  for (let p = 0; p < width * height; p++) image.data.set([(p * 7) % 256, (p * 13) % 256, (p * 3) % 256, 255 - (p % 7)], p * 4);
  return image;
};

test('the centre square is cut before any scaling: 1 × 20000 and 20000 × 3 images give their views from 1 and 9 pixels', () => {
  expect(centreSquare(stripe(1, 20000))).toMatchObject({ width: 1, height: 1 });
  expect(centreSquare(stripe(20000, 3))).toMatchObject({ width: 3, height: 3 });
  const thin = stripe(1, 20000);
  const view = styleView(thin);
  try {
    expect(view.shape).toEqual([1, 256, 256, 3]);
  } finally {
    view.dispose();
  }
  expect(squareView(stripe(20000, 3), 224)).toHaveLength(224 * 224 * 3);
  // The view of a 1-pixel square is that pixel, everywhere (composited over white by its alpha).
  const centre = centreSquare(thin).data;
  const a = centre[3] / 255;
  const expected = [0, 1, 2].map((c) => (centre[c] / 255) * a + (1 - a));
  const values = squareView(thin, 8);
  for (let i = 0; i < values.length; i++) expect(values[i]).toBeCloseTo(expected[i % 3], 5);
});

test('invert runs band by band: exact on an image larger than one band, progress per band, cancel between bands', async () => {
  const image = stripe(3000, Math.ceil((2.5 * BAND_PIXELS) / 3000));
  const fractions: number[] = [];
  const result = await runTechnique('invert', { source: image }, { amount: 1 }, silentContext({ onProgress: (p) => fractions.push(p.fraction) }));
  let wrong = 0;
  for (let i = 0; i < image.data.length; i++) if (result.data[i] !== ((i & 3) === 3 ? image.data[i] : 255 - image.data[i])) wrong++;
  expect(wrong).toBe(0);
  expect(fractions.length).toBe(3);
  expect(fractions.at(-1)).toBe(1);
  const before = tf.memory().numTensors;
  const abort = new AbortController();
  const cancelled = runTechnique('invert', { source: image }, { amount: 1 }, silentContext({ signal: abort.signal, onProgress: () => abort.abort() }));
  await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
  await expect(cancelled).rejects.toBeInstanceOf(PasticheError);
  expect(tf.memory().numTensors).toBe(before);
});

test('an optimisation too large for the budget works at the largest size that fits, aspect kept', () => {
  const bytesPerPixel = 11_000; // what the untiled Gatys job needed before issue #13: ~540 x 540 px in 3 GB
  expect(fitToMemory({ width: 300, height: 200 }, bytesPerPixel)).toEqual({ width: 300, height: 200 });
  const fitted = fitToMemory({ width: 4096, height: 2048 }, bytesPerPixel);
  expect(fitted.width * fitted.height * bytesPerPixel).toBeLessThanOrEqual(JOB_MEMORY_BUDGET);
  expect(fitted.width / fitted.height).toBeCloseTo(2, 2);
  // And not much smaller than it has to be.
  expect((fitted.width + 2) * (fitted.height + 1) * bytesPerPixel).toBeGreaterThan(JOB_MEMORY_BUDGET);
});

test('the Gatys job, its gradient on tiles, works at the largest result size within the budget', () => {
  expect(gatysWorkingSize({ width: MAX_RESULT_SIDE, height: MAX_RESULT_SIDE })).toEqual({ width: MAX_RESULT_SIDE, height: MAX_RESULT_SIDE });
  expect(GATYS_TILE_BYTES + MAX_RESULT_SIDE ** 2 * GATYS_BYTES_PER_PIXEL).toBeLessThanOrEqual(JOB_MEMORY_BUDGET);
});

test('a retry after the GPU ran out of memory asks for tiles of a fraction of the side, never below the minimum', () => {
  expect(tileSideFor(256, undefined)).toBe(256);
  expect(tileSideFor(256, 0.5)).toBe(128);
  expect(tileSideFor(512, 0.5, 192, 4)).toBe(256);
  expect(tileSideFor(256, 0.1)).toBe(64);
  expect(tileSideFor(500, 0.5, 64, 4)).toBe(248);
  // Never larger than usual, whatever is asked.
  expect(tileSideFor(256, 3)).toBe(256);
});

// First-layer views (techniques/filters) on the real weights: the filters sheet has one cell per kernel whose
// pixels are exactly that kernel's weights, min–max normalised and enlarged without smoothing (VGG19's BGR kernel
// shown in RGB), and the strongest first-layer responses to an image are its channels' maps, normalised.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19 } from '../../models/networks/vgg19';
import { FIRST_CONV, filterSheet, firstLayerResponses, readKernel, type FilterSheet, type FirstConvNetwork, type KernelWeights } from '../../techniques/filters';
import { vgg19FeatureNetwork } from '../../techniques/reconstruct';
import { readAsset } from '../support/assets';
import { loadFirstConvKernel, loadVgg19, useWasmBackend } from '../support/explore-networks';

const kernels = new Map<FirstConvNetwork, KernelWeights>();

beforeAll(async () => {
  await useWasmBackend();
  for (const name of Object.keys(FIRST_CONV) as FirstConvNetwork[]) {
    const tensor = await loadFirstConvKernel(name);
    kernels.set(name, await readKernel(tensor));
    tensor.dispose();
  }
}, 60_000);

/** The kernel's weight at (y, x, input channel c, output o), straight from the HWIO array. */
const weight = (k: KernelWeights, y: number, x: number, c: number, o: number) => k.data[((y * k.shape[1] + x) * k.shape[2] + c) * k.shape[3] + o];

function pixel(sheet: FilterSheet, x: number, y: number): number[] {
  const p = (y * sheet.image.width + x) * 4;
  return Array.from(sheet.image.data.subarray(p, p + 4));
}

describe.each([
  ['vgg19', 64, 8, 8],
  ['mobilenet_v2', 32, 6, 6],
  ['darknet_tiny', 16, 4, 4],
] as const)('%s filters sheet', (name, count, columns, rows) => {
  const pixelSize = 5;
  const gap = 3;
  let sheet: FilterSheet;
  let kernel: KernelWeights;
  beforeAll(() => {
    kernel = kernels.get(name)!;
    sheet = filterSheet(kernel, { inputOrder: FIRST_CONV[name].inputOrder, pixelSize, gap, background: [10, 20, 30, 255] });
  });

  test('one cell per kernel on a near-square grid, with gaps, inside the image and not overlapping', () => {
    expect(kernel.shape).toEqual([3, 3, 3, count]);
    expect(sheet.cells).toHaveLength(count);
    expect([sheet.columns, sheet.rows]).toEqual([columns, rows]);
    expect(sheet.image.width).toBe(gap + columns * (3 * pixelSize + gap));
    expect(sheet.image.height).toBe(gap + rows * (3 * pixelSize + gap));
    sheet.cells.forEach((c, i) => {
      expect(c.index).toBe(i);
      expect([c.width, c.height]).toEqual([3 * pixelSize, 3 * pixelSize]);
      expect(c.x).toBeGreaterThanOrEqual(gap);
      expect(c.x + c.width).toBeLessThanOrEqual(sheet.image.width - gap);
      expect(c.y + c.height).toBeLessThanOrEqual(sheet.image.height - gap);
      for (const d of sheet.cells.slice(i + 1)) {
        const apart = c.x + c.width + gap <= d.x || d.x + d.width + gap <= c.x || c.y + c.height + gap <= d.y || d.y + d.height + gap <= c.y;
        expect(apart).toBe(true);
      }
    });
    expect(pixel(sheet, 0, 0)).toEqual([10, 20, 30, 255]); // the margin is the background
    expect(pixel(sheet, sheet.cells[0].x + sheet.cells[0].width, sheet.cells[0].y)).toEqual([10, 20, 30, 255]); // and so is a gap
  });

  test.each([0, 1, count - 1])('cell %i holds exactly that kernel, normalised per kernel and enlarged nearest', (index) => {
    const cell = sheet.cells[index];
    const values: number[] = [];
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) for (let c = 0; c < 3; c++) values.push(weight(kernel, y, x, c, index));
    const min = Math.min(...values);
    const max = Math.max(...values);
    const bgr = FIRST_CONV[name].inputOrder === 'bgr';
    let sawZero = false;
    let saw255 = false;
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 3; x++) {
        // Displayed R, G, B = the kernel's input channels 0, 1, 2 (RGB networks) or 2, 1, 0 (VGG19 reads BGR).
        const expected = [0, 1, 2].map((c) => Math.round(((weight(kernel, y, x, bgr ? 2 - c : c, index) - min) / (max - min)) * 255));
        expected.forEach((v) => {
          sawZero ||= v === 0;
          saw255 ||= v === 255;
        });
        // Every screen pixel of the weight's square (nearest: no smoothing at the square's edges).
        for (let dy = 0; dy < pixelSize; dy++) {
          for (let dx = 0; dx < pixelSize; dx++) {
            expect(pixel(sheet, cell.x + x * pixelSize + dx, cell.y + y * pixelSize + dy)).toEqual([...expected, 255]);
          }
        }
      }
    }
    expect(sawZero && saw255).toBe(true); // per-kernel min–max: the kernel spans the full 0..255
  });
});

test('VGG19 first-layer responses: the 16 strongest channels of relu1_1, normalised to 0..255, no tensors left', async () => {
  const vggNet: Vgg19 = await loadVgg19();
  try {
    const network = vgg19FeatureNetwork(vggNet);
    const image = readAsset('content', 'chelsea');
    const before = tf.memory().numTensors;
    const responses = await firstLayerResponses(network, image, { size: 96 });
    await firstLayerResponses(network, image, { size: 96 });
    expect(tf.memory().numTensors).toBe(before);
    expect(responses).toHaveLength(16);
    expect(new Set(responses.map((r) => r.channel)).size).toBe(16);
    for (let i = 1; i < responses.length; i++) expect(responses[i].mean).toBeLessThanOrEqual(responses[i - 1].mean);
    // Independently: relu1_1 of the same resampled input, its channel means, and the top channel's map.
    const { resampledReference } = await import('../support/explore-context');
    const input = resampledReference(image, 96);
    const features = tf.tidy(() => vggNet.features(tf.div(tf.tensor4d(Float32Array.from(input.data).filter((_, i) => i % 4 !== 3), [1, input.height, input.width, 3]), 255) as tf.Tensor4D, ['relu1_1']).relu1_1);
    const values = (await features.data()) as Float32Array;
    const [, h, w, channels] = features.shape;
    features.dispose();
    const means = Array.from({ length: channels }, (_, c) => {
      let s = 0;
      for (let p = 0; p < h * w; p++) s += values[p * channels + c];
      return s / (h * w);
    });
    const top16 = [...means.keys()].sort((a, b) => means[b] - means[a]).slice(0, 16);
    expect(responses.map((r) => r.channel)).toEqual(top16);
    const top = responses[0];
    expect([top.image.width, top.image.height]).toEqual([w, h]);
    const channel = Array.from({ length: h * w }, (_, p) => values[p * channels + top.channel]);
    const lo = Math.min(...channel);
    const hi = Math.max(...channel);
    for (const p of [0, 17, Math.floor((h * w) / 2), h * w - 1]) {
      const g = Math.round(((channel[p] - lo) / (hi - lo)) * 255);
      expect(Array.from(top.image.data.subarray(p * 4, p * 4 + 4))).toEqual([g, g, g, 255]);
    }
    const greys = responses.flatMap((r) => Array.from(r.image.data.filter((_, i) => i % 4 === 0)));
    expect(Math.min(...greys)).toBe(0);
    expect(Math.max(...greys)).toBe(255);
  } finally {
    vggNet.dispose();
  }
}, 60_000);

test('the Filters technique: one square cell per kernel then one per response, side by side, each labelled', async () => {
  const { runTechnique } = await import('../../techniques/run-technique');
  const { testContext } = await import('../support/assets');
  const pixelSize = 4;
  const side = 3 * pixelSize;
  const result = await runTechnique('filters', { source: readAsset('content', 'chelsea') }, { model: 'darknet', pixelSize, responses: true }, testContext());
  const labels = result.facts?.cells ?? [];
  expect(labels).toHaveLength(16 + 16);
  expect(labels.slice(0, 3)).toEqual(['#0', '#1', '#2']);
  expect(labels.slice(16).every((label) => /^#\d+ on the image$/.test(label))).toBe(true);
  expect([result.width, result.height]).toEqual([32 * side, side]);
  // Cell 5 is kernel 5, exactly as the sheet draws it.
  const sheet = filterSheet(kernels.get('darknet_tiny')!, { inputOrder: FIRST_CONV.darknet_tiny.inputOrder, pixelSize, gap: 0, columns: 16 });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const at = (y * result.width + 5 * side + x) * 4;
      expect(Array.from(result.data.subarray(at, at + 4))).toEqual(pixel(sheet, 5 * side + x, y));
    }
  }
}, 120_000);

// The Gatys path with the real VGG19 on the shared images, on the tfjs WASM backend: at 256 px one VGG forward
// pass (blocks 1-3) is ~30 GFLOP, which the JS CPU backend runs ~20x slower (TOOLCHAIN.md); one evaluation of the
// loss and its gradient (2 pyramid levels) costs ~1.6 s at 256 px here on WASM (~5 s before issue #13: Gram
// matrices as matMul(F, F, true) left XNNPACK's fast path). The tiled objective: style-gatys-tiled.test.ts.
//
// The quality test optimizes AT 256 px (the metric's size): optimizing at 128 px and upsampling was tried and
// does not hold honestly (measured ratio 0.55 after 40 steps: upsampling blurs away exactly the fine strokes
// that the relu1_1 Gram matrix measures). The behaviour tests (finish early, cancel, leaks) run at 64 px.
import * as tf from '@tensorflow/tfjs';
import { writeImageFile } from '../../cli/image-files';
import type { Vgg19 } from '../../models/networks/vgg19';
import { defaultParams } from '../../techniques/registry';
import type { StyleParams } from '../../techniques/style/spec';
import type { RgbaImage } from '../../techniques/image';
import type { JobProgress } from '../../techniques/job';
import { gatysStyleTransfer } from '../../techniques/style/gatys';
import { readAsset, testContext } from '../support/assets';
import { contentDistance, loadVgg19OnWasm, styleDistance } from '../support/style-quality';

const chelsea = readAsset('content', 'chelsea');
const starry = readAsset('styles', 'starry_night');

function gatysParams(size: number, steps: number, overrides: Partial<StyleParams['gatys']> = {}): StyleParams {
  const defaults = defaultParams('style');
  return { ...defaults, method: 'gatys', styles: [{ source: 'layer', weight: 1 }], size, gatys: { ...defaults.gatys, steps, ...overrides } };
}

function run(params: StyleParams, options: { signal?: AbortSignal; finishEarly?: AbortSignal; onProgress?: (p: JobProgress) => void } = {}) {
  return gatysStyleTransfer(
    { source: chelsea, reference: starry },
    params,
    testContext({ signal: options.signal ?? new AbortController().signal, finishEarly: options.finishEarly, onProgress: options.onProgress ?? (() => undefined) }),
  );
}

let vgg: Vgg19;
beforeAll(async () => {
  vgg = await loadVgg19OnWasm();
}, 60_000);

test('moves the style statistics most of the way to the painting while keeping the cat', async () => {
  const started = Date.now();
  // The defaults as a designer gets them, only fewer steps. What made 12 steps enough (ratio 0.35 after 25 steps
  // before): the start takes the style's colours, the style image keeps its fine contrast (bilinear, like the
  // metric), and L-BFGS's first line search starts at a sensible step (see gatys.ts).
  const steps = 12;
  const output = await run(gatysParams(256, steps));
  const seconds = (Date.now() - started) / 1000;
  if (process.env.PASTICHE_GATYS_PNG) writeImageFile(process.env.PASTICHE_GATYS_PNG, output);
  const before = await styleDistance(vgg, chelsea, starry);
  const after = await styleDistance(vgg, output, starry);
  const kept = await contentDistance(vgg, output, chelsea);
  const styleAsContent = await contentDistance(vgg, starry, chelsea);
  console.log(`gatys 256 px, ${steps} L-BFGS steps in ${seconds.toFixed(0)} s: style distance ${before.toFixed(3)} -> ${after.toFixed(3)} ` +
    `(ratio ${(after / before).toFixed(3)}); content distance ${kept.toFixed(3)} vs style image ${styleAsContent.toFixed(3)}`);
  expect(output.width).toBe(256);
  expect(after).toBeLessThanOrEqual(0.25 * before);
  expect(kept).toBeLessThan(styleAsContent);
}, 180_000);

test('finish early returns the best image so far before all steps, and previews arrive', async () => {
  const finish = new AbortController();
  const messages: string[] = [];
  const previews: RgbaImage[] = [];
  const output = await run(gatysParams(64, 50, { previewEvery: 2 }), {
    finishEarly: finish.signal,
    onProgress: (p) => {
      if (p.message) messages.push(p.message);
      if (p.preview) previews.push(p.preview);
      if (messages.length === 4) finish.abort();
    },
  });
  expect(messages).toEqual(['reading the style', 'step 1 of 50', 'step 2 of 50', 'step 3 of 50']);
  expect(previews).toHaveLength(2); // a first preview at step 1 (the designer sees it start), then every 2 steps
  expect(previews[0].width).toBe(64);
  expect(output.width).toBe(64);
  // It is not the content itself: three steps have changed it.
  expect(Buffer.compare(Buffer.from(output.data), Buffer.from((await run(gatysParams(64, 1), {})).data))).not.toBe(0);
}, 120_000);

test('cancel throws a cancelled PasticheError', async () => {
  const cancel = new AbortController();
  const job = run(gatysParams(64, 50, { optimizer: 'adam' }), {
    signal: cancel.signal,
    onProgress: (p) => {
      if (p.message === 'step 2 of 50') cancel.abort();
    },
  });
  await expect(job).rejects.toMatchObject({ name: 'PasticheError', code: 'cancelled' });
}, 120_000);

test('no tensors leak across two runs (L-BFGS, then Adam from noise with colours kept)', async () => {
  const before = tf.memory().numTensors;
  await run(gatysParams(64, 3));
  await run({ ...gatysParams(64, 3, { optimizer: 'adam', init: 'noise' }), preserveColors: true });
  expect(tf.memory().numTensors).toBe(before);
}, 120_000);

test('keeps the alpha of the source', async () => {
  const source: RgbaImage = { width: 48, height: 48, data: new Uint8ClampedArray(48 * 48 * 4).map((_, i) => (i % 4 === 3 ? (i / 4) % 48 < 24 ? 0 : 255 : 128)) };
  const output = await gatysStyleTransfer({ source, reference: starry }, gatysParams(0, 2), testContext());
  for (let p = 0; p < 48 * 48; p++) expect(output.data[p * 4 + 3]).toBe(source.data[p * 4 + 3]);
}, 60_000);

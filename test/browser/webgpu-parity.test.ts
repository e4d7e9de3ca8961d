// Every network and every optimisation family gives the same result on WebGPU as on WASM: the same runs, one page,
// each backend with its own freshly loaded networks (bench/page/backend-parity.ts), in Debian Chromium with its
// SwiftShader WebGPU adapter. Float32 on both sides; the GPU sums in another order and fuses other operations, so
// outputs differ by rounding only. Sizes and steps are small: SwiftShader computes WebGPU on the CPU, ~50x slower than
// WASM here, and compiles every shader once (most of this file's ~4 minutes).
import { BenchSession, type BenchPage } from './support/reference-page';
import type { ParityResult, ParityRun } from '../../bench/page/backend-parity';

jest.setTimeout(900_000);

const FORWARD: ParityRun[] = [
  { kind: 'forward', network: 'mobilenet_v2', size: 96 },
  { kind: 'forward', network: 'darknet_tiny', size: 96 },
  { kind: 'forward', network: 'vgg19', size: 64 },
  { kind: 'forward', network: 'magenta_predictor', size: 64 },
  { kind: 'forward', network: 'magenta_transformer', size: 64 },
];

/** One run of each technique family: a forward pass (fast style) and the optimisations (L-BFGS on VGG19 for Gatys,
 *  texture and inversion; DeepDream's normalised gradient ascent on MobileNetV2), two or three steps each. */
const TECHNIQUES: ParityRun[] = [
  { kind: 'technique', name: 'style fast', id: 'style', size: 64, params: { method: 'fast' } },
  { kind: 'technique', name: 'style gatys', id: 'style', size: 32, params: { method: 'gatys', gatys: { steps: 2, optimizer: 'lbfgs', pyramidLevels: 1, previewEvery: 0 } } },
  { kind: 'technique', name: 'texture neural', id: 'texture', size: 64, params: { make: 'seamless', tileSize: 64, steps: 2, previewEvery: 0 } },
  { kind: 'technique', name: 'dream', id: 'dream', size: 64, params: { octaves: 1, stepsPerOctave: 3, previewEvery: 0 } },
  { kind: 'technique', name: 'reconstruct', id: 'reconstruct', size: 32, params: { model: 'vgg19', layer: 'relu2_2', size: 32, steps: 2, previewEvery: 0 } },
];

/**
 * Forward passes: the largest difference over the output's largest magnitude. Float32 rounding of a deep network's
 * sums gives ~1e-6 (measured here: at most 3e-6); a wrong kernel (padding, layout, an activation) gives 1e-2 or more.
 */
const FORWARD_RELATIVE_TOLERANCE = 1e-4;

/**
 * Technique results, in 0..255 levels. A forward technique rounds its float output to 8 bits: at most one level apart
 * where a value sits on a rounding edge. An optimisation feeds every step's rounding into the next (L-BFGS's line
 * search, the normalised gradient), so a few pixels may drift further; measured here: Gatys 48 px, 3 steps: max 2,
 * mean 0.014; the others 0 or 1. One more step moves the image 3.7 (texture) to 11 (inversion) levels on average,
 * so a mean of a quarter level still tells a faithful GPU from a wrong one (a broken gradient moves every pixel).
 */
const PIXEL_TOLERANCE = { forward: { max: 2, mean: 0.05 }, optimisation: { max: 16, mean: 0.25 } };

let session: BenchSession;
let page: BenchPage;
let results: ParityResult[];

beforeAll(async () => {
  session = await BenchSession.open({ webgpu: true });
  page = await session.openPage('wasm');
  results = await page.call('backendParity', [[...FORWARD, ...TECHNIQUES], ['wasm', 'webgpu']]);
  console.log(
    ['WebGPU vs WASM (forward: relative to the largest output; techniques: 0..255 levels)', ...results.map((r) => `  ${r.name}: max ${r.maxDifference.toExponential(2)}, mean ${r.meanDifference.toExponential(2)}${r.changed !== undefined ? `, changed ${r.changed.toFixed(1)}` : ''} · s ${JSON.stringify(r.seconds)} · sync reads ${JSON.stringify(r.syncReads)}`)].join('\n'),
  );
});

afterAll(async () => {
  await session?.close();
});

const result = (name: string) => results.find((r) => r.name === name)!;

test('the page computes on a real WebGPU adapter', async () => {
  const info = await page.call('init', ['webgpu']);
  expect(info).toEqual({ backend: 'webgpu', renderer: expect.stringMatching(/^WebGPU google swiftshader/) });
});

test.each(FORWARD.map((run) => [`${run.kind === 'forward' ? run.network : ''} ${run.size}px`]))('forward pass of %s: same output', (name) => {
  const r = result(name);
  expect(r.magnitude).toBeGreaterThan(0);
  expect(r.maxDifference).toBeLessThanOrEqual(FORWARD_RELATIVE_TOLERANCE);
});

test.each(TECHNIQUES.map((run) => [`${run.kind === 'technique' ? run.name : ''} ${run.size}px`, run.kind === 'technique' && run.params.method === 'fast']))(
  '%s: same image',
  (name, forward) => {
    const r = result(name as string);
    const tolerance = forward ? PIXEL_TOLERANCE.forward : PIXEL_TOLERANCE.optimisation;
    // The job did change the picture: a difference of 0 is not two untouched copies.
    expect(r.changed).toBeGreaterThan(1);
    expect(r.maxDifference).toBeLessThanOrEqual(tolerance.max);
    expect(r.meanDifference).toBeLessThanOrEqual(tolerance.mean);
  },
);

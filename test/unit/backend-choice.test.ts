// The engine's choice of backend (ui/engine/backend-choice.ts, backend.ts, calibrate.ts), its memory by GPU name (WebGPU
// adapter or WebGL renderer: backend-memory.ts, webgpu-adapter-name.ts), and how both travel through the user's settings (plugin/settings.ts, ui/runner/backend-settings.ts).
// The browser tests (test/browser/backend.test.ts, webgpu-engine.test.ts) check the same on real WebGL, WebGPU and WASM.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_SETTINGS, MAX_REMEMBERED_RENDERERS, parseUiMessage, type BackendCalibration } from '../../plugin/messages';
import { normalizeSettings, SETTINGS_KEY } from '../../plugin/settings';
import { chooseBackend, HARDWARE_GPU_MARGIN, isSoftwareRenderer } from '../../ui/engine/backend-choice';
import { rememberCalibration, rememberedCalibration } from '../../ui/engine/backend-memory';
import { calibrate, timeWorkload } from '../../ui/engine/calibrate';
import { prepareBackend } from '../../ui/engine/backend';
import { yieldOnReads } from '../../ui/engine/yield-on-read';
import { backendDetails, backendPreference, computeLabel, rememberReport } from '../../ui/runner/backend-settings';
import { last, startPastiche } from '../../playground/figma-double/node-harness';
import { worthWarming } from '../../ui/engine/warm-up';
import { adapterName } from '../../ui/engine/webgpu-adapter-name';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';
const APPLE = 'Apple M2';

const SWIFTSHADER_ADAPTER = 'WebGPU google swiftshader (fallback adapter)';

const entry = (renderer: string, backend: BackendCalibration['backend'] = 'wasm', gpu: BackendCalibration['gpu'] = 'webgl'): BackendCalibration => ({
  renderer,
  gpu,
  backend,
  gpuMs: 600,
  wasmMs: 12,
  gpuFinished: true,
});
/** A calibration of WebGL (`gpu`: 'webgpu' for WebGPU). */
const measured = (gpuMs: number, wasmMs: number, gpuFinished: boolean, gpu: BackendCalibration['gpu'] = 'webgl') => ({ gpu, gpuMs, wasmMs, gpuFinished });

describe('software renderers', () => {
  it.each([
    [SWIFTSHADER, true],
    ['llvmpipe (LLVM 15.0.6, 256 bits)', true],
    ['Mesa softpipe', true],
    ['ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)', true],
    ['Software Renderer', true],
    [SWIFTSHADER_ADAPTER, true],
    // Chromium on a VM without a GPU: Dawn's CPU adapter, vendor and architecture empty, marked fallback.
    ['WebGPU (fallback adapter)', true],
    ['WebGPU nvidia ampere', false],
    ['WebGPU apple metal-3', false],
    [NVIDIA, false],
    [APPLE, false],
    ['ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)', false],
    ['Mesa Intel(R) Xe Graphics (TGL GT2)', false],
  ])('%s is software: %s', (renderer, software) => {
    expect(isSoftwareRenderer(renderer)).toBe(software);
  });

  it('an unknown renderer is not taken for software', () => {
    expect(isSoftwareRenderer(undefined)).toBe(false);
  });
});

describe('the choice from a calibration', () => {
  it('on a software renderer, the faster wins', () => {
    expect(chooseBackend(SWIFTSHADER, measured(640, 13, true))).toBe('wasm');
    // Many cores under SwiftShader can beat one WASM thread: measured, not assumed.
    expect(chooseBackend(SWIFTSHADER, measured(9, 13, true))).toBe('webgl');
    expect(chooseBackend(SWIFTSHADER, measured(13, 13, true))).toBe('wasm');
  });

  it('on a software renderer, WebGL out of time loses', () => {
    expect(chooseBackend(SWIFTSHADER, measured(500, 600, false))).toBe('wasm');
  });

  it('a hardware GPU keeps WebGL unless WASM is more than the margin faster', () => {
    expect(chooseBackend(NVIDIA, measured(3, 12, true))).toBe('webgl');
    expect(chooseBackend(APPLE, measured(12 * HARDWARE_GPU_MARGIN, 12, true))).toBe('webgl');
    expect(chooseBackend(APPLE, measured(12 * HARDWARE_GPU_MARGIN + 1, 12, true))).toBe('wasm');
  });

  it('a hardware GPU out of time (compiling its shaders) keeps WebGL', () => {
    expect(chooseBackend(NVIDIA, measured(500, 12, false))).toBe('webgl');
  });

  it('WebGPU by the same rule: the fallback adapter (SwiftShader) by measurement, a hardware adapter with the margin', () => {
    expect(chooseBackend(SWIFTSHADER_ADAPTER, measured(500, 13, false, 'webgpu'))).toBe('wasm');
    expect(chooseBackend(SWIFTSHADER_ADAPTER, measured(640, 13, true, 'webgpu'))).toBe('wasm');
    expect(chooseBackend(SWIFTSHADER_ADAPTER, measured(9, 13, true, 'webgpu'))).toBe('webgpu');
    expect(chooseBackend('WebGPU nvidia ampere', measured(3, 12, true, 'webgpu'))).toBe('webgpu');
    expect(chooseBackend('WebGPU nvidia ampere', measured(500, 12, false, 'webgpu'))).toBe('webgpu');
    expect(chooseBackend('WebGPU apple metal-3', measured(12 * HARDWARE_GPU_MARGIN + 1, 12, true, 'webgpu'))).toBe('wasm');
  });
});

describe('the name of a WebGPU adapter', () => {
  it('joins what its info says, and marks a fallback adapter, from its info or the adapter itself', () => {
    expect(adapterName({}, { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true })).toBe(SWIFTSHADER_ADAPTER);
    expect(adapterName({ isFallbackAdapter: true }, { vendor: 'google', architecture: 'swiftshader' })).toBe(SWIFTSHADER_ADAPTER);
    expect(adapterName({}, { vendor: 'nvidia', architecture: 'ampere', description: ' NVIDIA GeForce RTX 3060 ' })).toBe('WebGPU nvidia ampere NVIDIA GeForce RTX 3060');
    expect(adapterName({}, {})).toBe('WebGPU');
    expect(isSoftwareRenderer(adapterName({}, { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false }))).toBe(false);
  });
});

describe('the memory of calibrations', () => {
  it('finds the entry of the renderer, and nothing for another', () => {
    const known = [entry(SWIFTSHADER), entry(NVIDIA, 'webgl')];
    expect(rememberedCalibration(known, NVIDIA)?.backend).toBe('webgl');
    expect(rememberedCalibration(known, SWIFTSHADER)?.backend).toBe('wasm');
    expect(rememberedCalibration(known, APPLE)).toBeUndefined();
    expect(rememberedCalibration([], APPLE)).toBeUndefined();
  });

  it('keeps one entry per renderer, newest first, at most the limit', () => {
    let known: BackendCalibration[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) known = rememberCalibration(known, entry(name));
    expect(known.map((e) => e.renderer)).toEqual(['e', 'd', 'c', 'b'].slice(0, MAX_REMEMBERED_RENDERERS));
    known = rememberCalibration(known, entry('c', 'webgl'));
    expect(known.map((e) => e.renderer)).toEqual(['c', 'e', 'd', 'b']);
    expect(known[0].backend).toBe('webgl');
    expect(known.filter((e) => e.renderer === 'c')).toHaveLength(1);
  });

  it('a renderer string too long to store is remembered and found by its stored part', () => {
    const long = `${SWIFTSHADER} `.repeat(10);
    const known = rememberCalibration([], entry(long));
    expect(known[0].renderer.length).toBeLessThan(long.length);
    expect(rememberedCalibration(known, long)).toBe(known[0]);
    // What is stored passes the message table's check.
    expect(parseUiMessage({ type: 'save-settings', settings: { ...DEFAULT_SETTINGS, calibrations: known } })).not.toBeNull();
  });
});

describe('the setting and the calibrations in the stored settings', () => {
  it('absent means automatic and nothing measured; settings stored before them stay valid', () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(backendPreference(normalizeSettings({ placement: 'on-top' }))).toEqual({ compute: 'auto', known: [] });
  });

  it('are repaired: a bad setting falls back to automatic, bad entries are dropped, the good ones kept', () => {
    const good = entry(SWIFTSHADER);
    const stored = { compute: 'quantum', calibrations: [good, { renderer: 7 }, { ...entry(NVIDIA), gpuMs: -1 }, { renderer: APPLE, backend: 'webgl', webglMs: 9, wasmMs: 12, webglFinished: true }, 'x', entry(APPLE, 'webgl')] };
    const settings = normalizeSettings(stored);
    expect(settings.compute).toBeUndefined();
    expect(settings.calibrations).toEqual([good, entry(APPLE, 'webgl')]);
    expect(normalizeSettings({ compute: 'cpu' }).compute).toBe('cpu');
    expect(normalizeSettings({ calibrations: 'nope' }).calibrations).toBeUndefined();
  });

  it('round-trip through clientStorage with the save-settings message', async () => {
    const d = await startPastiche();
    const settings = { ...DEFAULT_SETTINGS, compute: 'gpu' as const, calibrations: [entry(SWIFTSHADER)] };
    await d.deliverToPlugin({ type: 'save-settings', settings });
    expect(d.api.clientStorage.map.get(SETTINGS_KEY)).toEqual(settings);
    const next = await startPastiche({ storage: Object.fromEntries(d.api.clientStorage.map) });
    expect(backendPreference(last(next, 'init').settings)).toEqual({ compute: 'gpu', known: [entry(SWIFTSHADER)] });
  });

  it('a WebGPU calibration is remembered by its adapter, apart from the WebGL renderer of the same machine', () => {
    const webgpu = rememberReport(DEFAULT_SETTINGS, { backend: 'wasm', renderer: SWIFTSHADER_ADAPTER, reason: 'measured', calibration: measured(500, 13, false, 'webgpu') });
    const both = rememberReport(webgpu!, { backend: 'wasm', renderer: SWIFTSHADER, reason: 'measured', calibration: measured(640, 13, true) });
    expect(both?.calibrations?.map((e) => [e.renderer, e.gpu])).toEqual([
      [SWIFTSHADER, 'webgl'],
      [SWIFTSHADER_ADAPTER, 'webgpu'],
    ]);
    expect(normalizeSettings(both).calibrations).toEqual(both?.calibrations);
  });

  it('a measured choice is remembered by its renderer; a remembered or forced one changes nothing', () => {
    const calibration = measured(640, 13, true);
    const remembered = rememberReport(DEFAULT_SETTINGS, { backend: 'wasm', renderer: SWIFTSHADER, reason: 'measured', calibration });
    expect(remembered?.calibrations).toEqual([{ renderer: SWIFTSHADER, backend: 'wasm', ...calibration }]);
    expect(rememberReport(remembered!, { backend: 'wasm', renderer: SWIFTSHADER, reason: 'remembered', calibration })).toBeNull();
    expect(rememberReport(DEFAULT_SETTINGS, { backend: 'webgl', renderer: SWIFTSHADER, reason: 'setting' })).toBeNull();
    expect(rememberReport(DEFAULT_SETTINGS, { backend: 'wasm', reason: 'no-gpu' })).toBeNull();
  });

  it('the status line says GPU or CPU, its details say why', () => {
    expect(computeLabel('webgl')).toBe('Running on GPU');
    expect(computeLabel('wasm')).toBe('Running on CPU');
    expect(computeLabel('cpu')).toBe('Running on CPU');
    expect(backendDetails('worker', { backend: 'wasm', reason: 'measured', calibration: measured(500, 3.6, false) })).toBe(
      'wasm in worker · measured: WebGL over 500 ms, WASM 3.6 ms',
    );
    expect(backendDetails('iframe', { backend: 'webgl', reason: 'setting' })).toBe('webgl in iframe · by the setting');
    // "GPU" forced: the details say which GPU backend, and which adapter.
    expect(computeLabel('webgpu')).toBe('Running on GPU');
    expect(backendDetails('worker', { backend: 'webgpu', renderer: SWIFTSHADER_ADAPTER, reason: 'setting' })).toBe(`webgpu in worker · by the setting · ${SWIFTSHADER_ADAPTER}`);
    expect(backendDetails('worker', { backend: 'wasm', renderer: SWIFTSHADER_ADAPTER, reason: 'measured', calibration: measured(500, 3.6, false, 'webgpu') })).toBe(
      `wasm in worker · measured: WebGPU over 500 ms, WASM 3.6 ms · ${SWIFTSHADER_ADAPTER}`,
    );
  });
});

describe('the warm-up', () => {
  it('runs on WASM and on a hardware GPU, not on a software GPU nor on the JS fallback', () => {
    expect(worthWarming({ backend: 'wasm', renderer: SWIFTSHADER })).toBe(true);
    expect(worthWarming({ backend: 'wasm' })).toBe(true);
    expect(worthWarming({ backend: 'webgl', renderer: NVIDIA })).toBe(true);
    expect(worthWarming({ backend: 'webgl', renderer: SWIFTSHADER })).toBe(false);
    expect(worthWarming({ backend: 'webgpu', renderer: 'WebGPU nvidia ampere' })).toBe(true);
    expect(worthWarming({ backend: 'webgpu', renderer: SWIFTSHADER_ADAPTER })).toBe(false);
    expect(worthWarming({ backend: 'cpu' })).toBe(false);
  });
});

describe('calibration and preparation (TF.js CPU backend standing in for both)', () => {
  const onCpu = async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    // As in the engine: a read lets timers and messages in (else a CPU backend's whole run is one macrotask).
    yieldOnReads('cpu');
    return true;
  };
  const small = { side: 16, channels: 4, runs: 2 };

  it('times the workload and leaves no tensor behind', async () => {
    await onCpu();
    const before = tf.memory().numTensors;
    const ms = await timeWorkload(small);
    expect(ms).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives both figures; a GPU that runs out of time is reported as such and stops at its next pass', async () => {
    await onCpu();
    const before = tf.memory().numTensors;
    const full = await calibrate({ useWasm: onCpu, gpu: 'webgl', useGpu: onCpu }, small, 60_000);
    expect(full).toMatchObject({ gpu: 'webgl', gpuFinished: true });
    expect(full!.gpuMs).toBeGreaterThan(0);
    expect(full!.wasmMs).toBeGreaterThan(0);
    const cut = await calibrate({ useWasm: onCpu, gpu: 'webgl', useGpu: onCpu }, { side: 32, channels: 8, runs: 20 }, 0);
    expect(cut).toMatchObject({ gpuMs: 0, gpuFinished: false });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the stopped pass in flight ends and frees its tensors
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives nothing when a backend cannot start', async () => {
    expect(await calibrate({ useWasm: async () => false, gpu: 'webgl', useGpu: onCpu }, small)).toBeNull();
    expect(await calibrate({ useWasm: onCpu, gpu: 'webgl', useGpu: async () => false }, small)).toBeNull();
  });

  it('without WebGPU or WebGL (Node): a worker declines unless the CPU is asked for; elsewhere the CPU computes', async () => {
    const auto = { compute: 'auto' as const, known: [] };
    expect(await prepareBackend(auto, { canDecline: true, useWasm: onCpu })).toEqual({ ok: false, reason: 'Neither WebGPU nor WebGL is available in a worker here' });
    expect(await prepareBackend({ ...auto, compute: 'gpu' }, { canDecline: true, useWasm: onCpu })).toMatchObject({ ok: false });
    expect(await prepareBackend(auto, { canDecline: false, useWasm: onCpu })).toEqual({ ok: true, report: { backend: 'cpu', reason: 'no-gpu' } });
    expect(await prepareBackend({ ...auto, compute: 'gpu' }, { canDecline: false, useWasm: onCpu })).toEqual({ ok: true, report: { backend: 'cpu', reason: 'no-gpu' } });
    expect(await prepareBackend({ ...auto, compute: 'cpu' }, { canDecline: true, useWasm: onCpu })).toEqual({ ok: true, report: { backend: 'cpu', reason: 'setting' } });
    expect(await prepareBackend({ ...auto, compute: 'cpu' }, { canDecline: true, useWasm: async () => false })).toMatchObject({ ok: false });
  });
});

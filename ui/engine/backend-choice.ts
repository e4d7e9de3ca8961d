// Which TF.js backend computes, from what was measured (calibrate.ts): pure functions, so the rule is unit-tested
// apart from any browser. A GPU backend (WebGPU, else WebGL) on a real GPU is the fast one for the techniques' large
// images; on a software renderer (the browser drawing on the CPU: SwiftShader, llvmpipe, Windows' "Basic Render
// Driver", any adapter WebGPU calls a fallback) it is usually many times slower than WASM on that same CPU (measured
// here: 20x or more, WebGL and WebGPU alike), so there the measurement decides.
import type { BackendCalibration } from '../../plugin/messages';
import { FALLBACK_ADAPTER_MARK } from './webgpu-adapter-name';

/** Both figures of one calibration: a pass of the workload on the GPU backend and on WASM. */
export type Calibration = Omit<BackendCalibration, 'renderer' | 'backend'>;

export type ComputeBackend = BackendCalibration['backend'];

/** The names of software GPUs: Chromium's SwiftShader, Mesa's llvmpipe and softpipe, Windows' Microsoft Basic Render
 *  Driver, "Software" as Safari and others name theirs, and a WebGPU adapter the browser marks as a fallback. */
const SOFTWARE_RENDERER = new RegExp(`swiftshader|llvmpipe|softpipe|basic render|software|${FALLBACK_ADAPTER_MARK.replace(/[()]/g, '\\$&')}`, 'i');

export function isSoftwareRenderer(renderer: string | undefined): boolean {
  return renderer !== undefined && SOFTWARE_RENDERER.test(renderer);
}

/**
 * How much slower than WASM a hardware GPU may be on the calibration and still be chosen: at 128 px a GPU's fixed
 * cost per kernel (a dispatch or draw call, a read back) weighs far more than on the 512-4096 px images the jobs work
 * on, where it is the faster by much more than it shows here.
 */
export const HARDWARE_GPU_MARGIN = 2;

/** The backend to compute on, from one calibration of the GPU named `renderer` (adapter or WebGL renderer). */
export function chooseBackend(renderer: string | undefined, calibration: Calibration): ComputeBackend {
  const { gpu, gpuMs, wasmMs, gpuFinished } = calibration;
  if (isSoftwareRenderer(renderer)) return gpuFinished && gpuMs < wasmMs ? gpu : 'wasm';
  // A hardware GPU that ran out of time was most likely compiling its shaders (some drivers take seconds, once):
  // it keeps the GPU, whose large jobs are what matters.
  if (!gpuFinished) return gpu;
  return gpuMs <= wasmMs * HARDWARE_GPU_MARGIN ? gpu : 'wasm';
}

// Which TF.js backend computes, from what was measured (calibrate.ts): pure functions, so the rule is unit-tested
// apart from any browser. WebGL on a real GPU is the fast one for the techniques' large images; WebGL on a software
// renderer (the browser drawing WebGL on the CPU: SwiftShader, llvmpipe, Windows' "Basic Render Driver") is usually
// many times slower than WASM on that same CPU (measured here: 20x or more), so there the measurement decides.
import type { BackendCalibration } from '../../plugin/messages';

/** Both figures of one calibration: a pass of the workload on WebGL and on WASM. */
export type Calibration = Omit<BackendCalibration, 'renderer' | 'backend'>;

export type ComputeBackend = BackendCalibration['backend'];

/** The renderer names of software WebGL: Chromium's SwiftShader, Mesa's llvmpipe and softpipe, Windows' Microsoft
 *  Basic Render Driver, and "Software" as Safari and others name theirs. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|basic render|software/i;

export function isSoftwareRenderer(renderer: string | undefined): boolean {
  return renderer !== undefined && SOFTWARE_RENDERER.test(renderer);
}

/**
 * How much slower than WASM a hardware GPU may be on the calibration and still be chosen: at 128 px a GPU's fixed
 * cost per kernel (a draw call, a read back) weighs far more than on the 512-4096 px images the jobs work on, where
 * it is the faster by much more than it shows here.
 */
export const HARDWARE_GPU_MARGIN = 2;

/** The backend to compute on, from one calibration on the renderer WebGL reported. */
export function chooseBackend(renderer: string | undefined, calibration: Calibration): ComputeBackend {
  const { webglMs, wasmMs, webglFinished } = calibration;
  if (isSoftwareRenderer(renderer)) return webglFinished && webglMs < wasmMs ? 'webgl' : 'wasm';
  // A hardware GPU that ran out of time was most likely compiling its shaders (some drivers take seconds, once):
  // it keeps the GPU, whose large jobs are what matters.
  if (!webglFinished) return 'webgl';
  return webglMs <= wasmMs * HARDWARE_GPU_MARGIN ? 'webgl' : 'wasm';
}

// Chooses the TF.js backend for the engine, by the user's "Compute on" setting:
//  - automatic: the GPU backend (WebGPU where the browser has an adapter, else WebGL) where it is the faster here, else
//    WASM. Which is faster is measured once per GPU (calibrate.ts, decided by backend-choice.ts) and remembered
//    (backend-memory.ts) by the adapter's or renderer's name, so reopening the plugin measures nothing unless it changed;
//  - GPU: WebGPU, else WebGL, wherever one can be had; CPU: WASM (never creates a GPU device or WebGL context).
// In a worker WebGL means OffscreenCanvas WebGL (WebGPU needs nothing more): a worker with neither declines (unless the
// CPU was asked for), so the runner starts the engine in the iframe, where WebGL may exist. In the iframe, or when
// switching backends in a running engine, it never declines: the CPU computes when there is no GPU, on WASM, or on
// TF.js's plain JS backend if WASM cannot start.
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference, BackendCalibration } from '../../plugin/messages';
import { chooseBackend, type Calibration } from './backend-choice';
import { rememberedCalibration } from './backend-memory';
import { calibrate } from './calibrate';
import { useWebgpuBackend, webgpuAdapterName } from './webgpu-backend';

/** Why the engine computes where it does. */
export type BackendReason =
  /** Automatic: calibrated now. */
  | 'measured'
  /** Automatic: as calibrated on this GPU before. */
  | 'remembered'
  /** The user's setting forced it. */
  | 'setting'
  /** No GPU backend here (or the GPU was asked for and there is none). */
  | 'no-gpu'
  /** WASM cannot start here: the GPU is the one backend to use. */
  | 'no-wasm'
  /** The host has one backend (Node tests). */
  | 'only'
  /** The GPU was lost under a job: the engine computes on the CPU until it is started again. */
  | 'gpu-lost';

export interface BackendReport {
  /** The TF.js backend computing now: 'webgpu', 'webgl', 'wasm' or 'cpu'. */
  backend: string;
  /** The GPU's name, the WebGPU adapter's (webgpu-adapter-name.ts) or the WebGL renderer's (also when WASM was chosen
   *  over it): what a calibration is remembered by. */
  renderer?: string;
  reason: BackendReason;
  /** The measurement behind an automatic choice. */
  calibration?: Calibration;
}

export type BackendChoice = { ok: true; report: BackendReport } | { ok: false; reason: string };

export interface PrepareOptions {
  /** At the start of an engine in a worker: decline (rather than compute without a GPU) so the host can start it in
   *  the iframe instead. */
  canDecline: boolean;
  /** Moves TF.js to WASM; false when it cannot start. */
  useWasm(): Promise<boolean>;
}

/** The GPU backend this browser gives, TF.js already on it. */
interface GpuBackend {
  name: BackendCalibration['gpu'];
  renderer: string | undefined;
  /** Puts TF.js (back) on it; false once it is gone (a lost device or context). */
  use(): Promise<boolean>;
}

export async function prepareBackend(preference: BackendPreference, options: PrepareOptions): Promise<BackendChoice> {
  const { compute } = preference;
  // Forced CPU: no GPU device or context is created at all.
  const gpu = compute !== 'cpu' ? await startGpu() : undefined;
  const renderer = gpu?.renderer;
  const report = (reason: BackendReason, calibration?: Calibration): BackendChoice => ({
    ok: true,
    report: { backend: tf.getBackend(), ...(renderer !== undefined ? { renderer } : {}), reason, ...(calibration ? { calibration } : {}) },
  });
  const onCpu = async (reason: BackendReason) => {
    if (!(await options.useWasm())) await useJsCpu();
    return report(reason);
  };

  if (compute === 'cpu') {
    if (await options.useWasm()) return report('setting');
    if (options.canDecline) return { ok: false, reason: 'WASM cannot start in a worker here' };
    await useJsCpu();
    return report('setting');
  }
  if (!gpu) return options.canDecline ? { ok: false, reason: 'Neither WebGPU nor WebGL is available in a worker here' } : onCpu('no-gpu');
  if (compute === 'gpu') return report('setting');

  const known = renderer !== undefined ? rememberedCalibration(preference.known, renderer) : undefined;
  // (A calibration of the other GPU backend under the same name cannot be reused: measured again.)
  if (known && known.gpu === gpu.name) {
    const { backend: _backend, renderer: _renderer, ...calibration } = known;
    if (known.backend === 'wasm' && !(await options.useWasm())) return report('no-wasm');
    return report('remembered', calibration);
  }
  const calibration = await calibrate({ useWasm: options.useWasm, gpu: gpu.name, useGpu: gpu.use });
  // calibrate() leaves TF.js on the GPU, or on WASM when the GPU failed after all.
  if (!calibration) return report(tf.getBackend() === gpu.name ? 'no-wasm' : 'no-gpu');
  if (chooseBackend(renderer, calibration) === 'wasm') await options.useWasm();
  else await gpu.use();
  return report('measured', calibration);
}

/** WebGPU where the browser has an adapter TF.js can start, else WebGL; undefined when neither is here. */
async function startGpu(): Promise<GpuBackend | undefined> {
  if (await useWebgpuBackend()) return { name: 'webgpu', renderer: await webgpuAdapterName(), use: useWebgpuBackend };
  if (await useWebgl()) return { name: 'webgl', renderer: webglRenderer(), use: useWebgl };
  return undefined;
}

/** Puts TF.js on WebGL; false when there is none here, or its context was lost (a lost context never comes back). */
async function useWebgl(): Promise<boolean> {
  // In a worker, WebGL needs OffscreenCanvas; without it TF.js would only fail noisily.
  if (typeof document === 'undefined' && typeof OffscreenCanvas === 'undefined') return false;
  try {
    if (!(await tf.setBackend('webgl'))) return false;
    await tf.ready();
    return !webglContext()?.isContextLost();
  } catch {
    return false;
  }
}

async function useJsCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

function webglContext(): WebGLRenderingContext | undefined {
  return (tf.findBackend('webgl') as unknown as { gpgpu?: { gl: WebGLRenderingContext } } | null)?.gpgpu?.gl;
}

function webglRenderer(): string | undefined {
  try {
    const gl = webglContext();
    if (!gl) return undefined;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return undefined;
  }
}

/**
 * WebGL convolutions normally unfold their input into one matrix (im2col): fast, but for a large image that matrix
 * outgrows the GPU's largest texture (measured: VGG19 at 1024 px needs 12288 x 12288, over the common 8192 limit)
 * and the job fails. Above this many pixels the engine uses TF.js's direct convolution shader instead.
 */
const IM2COL_MAX_PIXELS = 512 * 512;

export function fitConvolutionsTo(pixels: number): void {
  if (tf.getBackend() !== 'webgl') return;
  tf.env().set('WEBGL_CONV_IM2COL', pixels <= IM2COL_MAX_PIXELS);
}

// Chooses the TF.js backend for the engine, by the user's "Compute on" setting:
//  - automatic: WebGL where it exists and is the faster here, else WASM. Which is faster is measured once per WebGL
//    renderer (calibrate.ts, decided by backend-choice.ts) and remembered (backend-memory.ts), so reopening the plugin
//    measures nothing unless the renderer changed;
//  - GPU: WebGL wherever it can be had; CPU: WASM (never creates a WebGL context).
// In a worker WebGL means OffscreenCanvas WebGL: a worker without it declines (unless the CPU was asked for), so the
// runner starts the engine in the iframe, where WebGL may exist. In the iframe, or when switching backends in a
// running engine, it never declines: the CPU computes when there is no WebGL, on WASM, or on TF.js's plain JS backend
// if WASM cannot start.
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference } from '../../plugin/messages';
import { chooseBackend, type Calibration } from './backend-choice';
import { rememberedCalibration } from './backend-memory';
import { calibrate } from './calibrate';

/** Why the engine computes where it does. */
export type BackendReason =
  /** Automatic: calibrated now. */
  | 'measured'
  /** Automatic: as calibrated on this renderer before. */
  | 'remembered'
  /** The user's setting forced it. */
  | 'setting'
  /** No WebGL here (or the GPU was asked for and there is none). */
  | 'no-gpu'
  /** WASM cannot start here: WebGL is the one backend to use. */
  | 'no-wasm'
  /** The host has one backend (Node tests). */
  | 'only';

export interface BackendReport {
  /** The TF.js backend computing now: 'webgl', 'wasm' or 'cpu'. */
  backend: string;
  /** The WebGL renderer (also when WASM was chosen over it): what a calibration is remembered by. */
  renderer?: string;
  reason: BackendReason;
  /** The measurement behind an automatic choice. */
  calibration?: Calibration;
}

export type BackendChoice = { ok: true; report: BackendReport } | { ok: false; reason: string };

export interface PrepareOptions {
  /** At the start of an engine in a worker: decline (rather than compute without WebGL) so the host can start it in
   *  the iframe instead. */
  canDecline: boolean;
  /** Moves TF.js to WASM; false when it cannot start. */
  useWasm(): Promise<boolean>;
}

export async function prepareBackend(preference: BackendPreference, options: PrepareOptions): Promise<BackendChoice> {
  const { compute } = preference;
  // Forced CPU: no GPU context is created at all.
  const webgl = compute !== 'cpu' && (await useWebgl());
  const renderer = webgl ? webglRenderer() : undefined;
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
  if (!webgl) return options.canDecline ? { ok: false, reason: 'WebGL is not available in a worker here' } : onCpu('no-gpu');
  if (compute === 'gpu') return report('setting');

  const known = renderer !== undefined ? rememberedCalibration(preference.known, renderer) : undefined;
  if (known) {
    const { backend: _backend, renderer: _renderer, ...calibration } = known;
    if (known.backend === 'wasm' && !(await options.useWasm())) return report('no-wasm');
    return report('remembered', calibration);
  }
  const calibration = await calibrate({ useWasm: options.useWasm, useWebgl });
  // calibrate() leaves TF.js on WebGL, or on WASM when WebGL failed after all.
  if (!calibration) return report(tf.getBackend() === 'webgl' ? 'no-wasm' : 'no-gpu');
  if (chooseBackend(renderer, calibration) === 'wasm') await options.useWasm();
  else await useWebgl();
  return report('measured', calibration);
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

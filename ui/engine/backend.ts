// Chooses the TF.js backend for the engine: WebGL (GPU) wherever it can be had; in a worker that means
// OffscreenCanvas WebGL. A worker without it reports "unavailable" so the runner falls back to the iframe, where
// the CPU computes when there is no WebGL either: on WASM, or on TF.js's plain JS backend if WASM cannot start.
import * as tf from '@tensorflow/tfjs';

export type BackendChoice = { ok: true; renderer?: string } | { ok: false; reason: string };

export async function prepareBackend(where: 'worker' | 'iframe', useWasm?: () => Promise<boolean>): Promise<BackendChoice> {
  if (where === 'worker' && typeof OffscreenCanvas === 'undefined') {
    return { ok: false, reason: 'OffscreenCanvas is not available in workers here' };
  }
  try {
    if (await tf.setBackend('webgl')) {
      await tf.ready();
      return { ok: true, renderer: webglRenderer() };
    }
  } catch {
    // fall through
  }
  if (where === 'worker') return { ok: false, reason: 'WebGL is not available in a worker here' };
  if (useWasm && (await useWasm())) return { ok: true };
  // Last resort in the iframe: the JS CPU backend is slow but correct.
  await tf.setBackend('cpu');
  await tf.ready();
  return { ok: true };
}

function webglRenderer(): string | undefined {
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl: WebGLRenderingContext } }).gpgpu?.gl;
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

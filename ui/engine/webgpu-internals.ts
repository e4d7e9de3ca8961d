// The few parts of WebGPU, and of TF.js's WebGPU backend, that the engine uses, typed in one place (TypeScript's DOM
// library has no WebGPU types yet): the adapter and its info (to name and recognise the GPU), the device TF.js computes
// on (its loss, its errors) and TF.js's buffer manager (for the fault drill).
import * as tf from '@tensorflow/tfjs';

/** GPUAdapterInfo: `adapter.info` in current browsers, `adapter.requestAdapterInfo()` in older ones. */
export interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** Newer browsers say here whether the adapter is a software fallback. */
  isFallbackAdapter?: boolean;
}

export interface GpuAdapter {
  info?: GpuAdapterInfo;
  requestAdapterInfo?(): Promise<GpuAdapterInfo>;
  /** Older browsers say it here. */
  isFallbackAdapter?: boolean;
}

export interface WebGpu {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<GpuAdapter | null>;
}

/** GPUDeviceLostInfo. */
export interface GpuDeviceLost {
  reason: string;
  message: string;
}

/** A GPUError as delivered by a GPUUncapturedErrorEvent. */
export interface GpuUncapturedError extends Event {
  error: { message: string; constructor: { name: string } };
}

export interface GpuDevice extends EventTarget {
  lost: Promise<GpuDeviceLost>;
  destroy(): void;
  queue: { onSubmittedWorkDone(): Promise<void> };
}

export interface WebgpuBackendInternals {
  device: GpuDevice;
  /** Every new tensor (and every staging copy for a read) takes its GPUBuffer from `acquireBuffer`. */
  bufferManager: { acquireBuffer(...args: unknown[]): unknown };
}

/** navigator.gpu, in a window or a worker; undefined where the browser has no WebGPU (or the origin is not secure). */
export function webGpu(): WebGpu | undefined {
  return (globalThis.navigator as (Navigator & { gpu?: WebGpu }) | undefined)?.gpu;
}

/** TF.js's WebGPU backend when it is the one computing now, else null. */
export function currentWebgpuBackend(): WebgpuBackendInternals | null {
  return tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as WebgpuBackendInternals) : null;
}

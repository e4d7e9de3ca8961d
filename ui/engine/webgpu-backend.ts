// TF.js's WebGPU backend for the engine: the GPU where the browser has WebGPU (Chrome and Edge 113+, Safari 26), the
// first choice for "GPU" and the candidate the calibration measures against WASM. TF.js would register and try it on
// its own, but where there is no adapter its setBackend fails noisily (a console warning and a TypeError), so the
// engine asks for an adapter first. The adapter's info names it: that name is what a calibration is remembered by, and
// what says whether it is a software fallback (SwiftShader, llvmpipe, Microsoft Basic Render: backend-choice.ts).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { currentWebgpuBackend, webGpu, type GpuAdapter, type GpuAdapterInfo, type GpuDevice } from './webgpu-internals';
import { adapterName } from './webgpu-adapter-name';

/** TF.js asks for this adapter (its WEBGPU_USE_LOW_POWER_GPU flag is off): the one we describe is the one it uses. */
const POWER_PREFERENCE = 'high-performance';

/** Devices lost since TF.js made them (a driver reset, a GPU removed, device.destroy()): TF.js's backend keeps its
 *  dead device, so a lost one is never used again in this engine (reopening the plugin gets the GPU back). */
const lostDevices = new WeakSet<GpuDevice>();

/** The name (webgpu-adapter-name.ts) of the adapter TF.js would compute on; undefined where there is none. */
export async function webgpuAdapterName(): Promise<string | undefined> {
  try {
    const adapter = await webGpu()?.requestAdapter({ powerPreference: POWER_PREFERENCE });
    return adapter ? adapterName(adapter, await adapterInfo(adapter)) : undefined;
  } catch {
    return undefined;
  }
}

async function adapterInfo(adapter: GpuAdapter): Promise<GpuAdapterInfo> {
  if (adapter.info) return adapter.info;
  return (await adapter.requestAdapterInfo?.()) ?? {};
}

/** Puts TF.js on WebGPU; false where there is no adapter, TF.js cannot start it, or its device was lost. */
export async function useWebgpuBackend(): Promise<boolean> {
  if (!tf.findBackendFactory('webgpu')) return false; // no navigator.gpu here when TF.js was loaded
  const current = tf.findBackend('webgpu') as unknown as { device: GpuDevice } | null;
  if (current && lostDevices.has(current.device)) return false;
  // Only ask TF.js once an adapter is there (its own attempt without one fails noisily).
  if (!current && !(await webgpuAdapterName())) return false;
  try {
    if (!(await tf.setBackend('webgpu'))) return false;
    await tf.ready();
  } catch {
    return false;
  }
  const device = currentWebgpuBackend()?.device;
  if (!device || lostDevices.has(device)) return false;
  if (!current) void device.lost.then(() => lostDevices.add(device));
  return true;
}

/** Marks a device lost that did not say so itself (Chromium 156 leaves `lost` pending after device.destroy()). */
export function forgetDevice(device: GpuDevice): void {
  lostDevices.add(device);
}

// The name the engine gives a WebGPU adapter, from its info: what its calibration is remembered by
// (backend-memory.ts), what the status tooltip shows, and what says whether it is a software one (backend-choice.ts).
// Pure, no TF.js: unit tests and the choice rule import it.
import type { GpuAdapter, GpuAdapterInfo } from './webgpu-internals';

/** Appended to the name of an adapter the browser says is a software fallback (Chromium's SwiftShader says so). */
export const FALLBACK_ADAPTER_MARK = '(fallback adapter)';

/** "WebGPU <vendor> <architecture> <device> <description>", empty parts left out, plus FALLBACK_ADAPTER_MARK for a
 *  fallback adapter; e.g. "WebGPU google swiftshader (fallback adapter)", "WebGPU nvidia ampere". */
export function adapterName(adapter: GpuAdapter, info: GpuAdapterInfo): string {
  const parts = [info.vendor, info.architecture, info.device, info.description].map((part) => part?.trim()).filter(Boolean);
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  return ['WebGPU', ...parts, ...(fallback ? [FALLBACK_ADAPTER_MARK] : [])].join(' ');
}

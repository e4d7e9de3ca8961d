// Memory bounded by design: what one job may use at its peak, and the working size that keeps a job whose memory
// grows with its pixels (an optimisation that keeps every layer's activations for the gradient) inside it.
// No TF.js here.

/** One job's peak: under WASM's 4 GB heap (wasm32), with room for the networks' weights and the host. */
export const JOB_MEMORY_BUDGET = 3 * 2 ** 30;

/**
 * `size` scaled down (aspect kept, at least 1 px a side) until width × height × bytesPerPixel fits `budget`; `size`
 * itself when it fits.
 */
export function fitToMemory(size: { width: number; height: number }, bytesPerPixel: number, budget = JOB_MEMORY_BUDGET): { width: number; height: number } {
  const maxPixels = budget / bytesPerPixel;
  const pixels = size.width * size.height;
  if (pixels <= maxPixels) return size;
  const scale = Math.sqrt(maxPixels / pixels);
  return { width: Math.max(1, Math.floor(size.width * scale)), height: Math.max(1, Math.floor(size.height * scale)) };
}

/**
 * A technique's tile (or network pass) side on this try: `side` × the job's `tileScale` (1 normally; a retry after the
 * GPU ran out of memory asks for smaller tiles: ui/engine/gpu-fallback.ts), rounded down to a multiple of `multiple`,
 * at least `min`.
 */
export function tileSideFor(side: number, tileScale = 1, min = 64, multiple = 1): number {
  const scaled = Math.floor((side * Math.min(1, Math.max(0, tileScale))) / multiple) * multiple;
  return Math.max(min, scaled);
}

/** "2.4 GB" / "310 MB". */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.round(bytes / 2 ** 20)} MB`;
}

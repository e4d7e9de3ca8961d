// The first-layer filters sheet (CS231n lecture 12, "first layer: visualize filters"): every kernel of the first
// convolution shown as a tiny RGB image. Each kernel is min–max normalised on its own (a kernel's sign and scale
// are arbitrary; its pattern is what it detects), enlarged with nearest-neighbour (each weight a crisp square,
// never smoothed) and laid out on a grid with gaps. Returns one RgbaImage and every cell's rectangle so a host
// can label them. Pure and synchronous over plain arrays; `readKernel` reads a tensor once.
import type * as tf from '@tensorflow/tfjs';
import { createRgbaImage, type RgbaImage } from '../image';
import type { ChannelOrder } from './first-conv';

/** A conv kernel in HWIO order, [kh, kw, inChannels, outChannels], as a flat row-major array. */
export interface KernelWeights {
  data: Float32Array;
  shape: [number, number, number, number];
}

export interface SheetCell {
  /** The kernel (output channel) shown in this cell. */
  index: number;
  col: number;
  row: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FilterSheet {
  image: RgbaImage;
  cells: SheetCell[];
  columns: number;
  rows: number;
}

export interface FilterSheetOptions {
  /** The order of the kernel's input channels (VGG19's is BGR: see first-conv.ts). */
  inputOrder: ChannelOrder;
  /** Pixels per weight (a 3x3 kernel at 8 becomes a 24 px cell). */
  pixelSize: number;
  /** Pixels between cells and around the sheet. */
  gap: number;
  /** Columns of the grid; default ceil(√n) (near-square). */
  columns?: number;
  /** RGBA of the gaps. */
  background: readonly [number, number, number, number];
}

export const DEFAULT_SHEET: FilterSheetOptions = { inputOrder: 'rgb', pixelSize: 8, gap: 2, background: [255, 255, 255, 255] };

/** A kernel tensor's values read back (the tensor is not disposed). */
export async function readKernel(kernel: tf.Tensor4D): Promise<KernelWeights> {
  const data = await kernel.data();
  return { data: data instanceof Float32Array ? Float32Array.from(data) : Float32Array.from(data as ArrayLike<number>), shape: kernel.shape as KernelWeights['shape'] };
}

/**
 * Kernel `index` as RGB bytes, kh × kw × 3, row-major: its kh·kw·3 weights mapped linearly so its smallest is 0
 * and its largest 255 (round half up). A constant kernel is mid-grey (128).
 */
export function normalizedKernel(kernel: KernelWeights, index: number, inputOrder: ChannelOrder = 'rgb'): Uint8ClampedArray {
  const [kh, kw, cin, cout] = kernel.shape;
  if (cin !== 3) throw new RangeError(`a first-layer kernel reads 3 channels, this one ${cin}`);
  if (!(index >= 0 && index < cout)) throw new RangeError(`kernel ${index} of ${cout}`);
  const at = (y: number, x: number, c: number) => kernel.data[((y * kw + x) * cin + c) * cout + index];
  let min = Infinity;
  let max = -Infinity;
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < 3; c++) {
    const v = at(y, x, c);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  const out = new Uint8ClampedArray(kh * kw * 3);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < 3; c++) {
    const source = inputOrder === 'bgr' ? 2 - c : c; // displayed red is the kernel's channel 2 when it reads BGR
    const v = at(y, x, source);
    out[(y * kw + x) * 3 + c] = range > 0 ? Math.round(((v - min) / range) * 255) : 128;
  }
  return out;
}

export function filterSheet(kernel: KernelWeights, options: Partial<FilterSheetOptions> = {}): FilterSheet {
  const o = { ...DEFAULT_SHEET, ...options };
  const [kh, kw, , count] = kernel.shape;
  if (!(Number.isInteger(o.pixelSize) && o.pixelSize >= 1)) throw new RangeError(`pixelSize must be a whole number >= 1 (got ${o.pixelSize})`);
  if (!(Number.isInteger(o.gap) && o.gap >= 0)) throw new RangeError(`gap must be a whole number >= 0 (got ${o.gap})`);
  const columns = Math.max(1, Math.min(count, o.columns ?? Math.ceil(Math.sqrt(count))));
  const rows = Math.ceil(count / columns);
  const cellWidth = kw * o.pixelSize;
  const cellHeight = kh * o.pixelSize;
  const width = o.gap + columns * (cellWidth + o.gap);
  const height = o.gap + rows * (cellHeight + o.gap);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set(o.background, p * 4);
  const cells: SheetCell[] = [];
  for (let index = 0; index < count; index++) {
    const col = index % columns;
    const row = Math.floor(index / columns);
    const cell: SheetCell = { index, col, row, x: o.gap + col * (cellWidth + o.gap), y: o.gap + row * (cellHeight + o.gap), width: cellWidth, height: cellHeight };
    cells.push(cell);
    const rgb = normalizedKernel(kernel, index, o.inputOrder);
    for (let y = 0; y < cellHeight; y++) {
      const ky = Math.floor(y / o.pixelSize);
      for (let x = 0; x < cellWidth; x++) {
        const k = (ky * kw + Math.floor(x / o.pixelSize)) * 3;
        const p = ((cell.y + y) * width + cell.x + x) * 4;
        data[p] = rgb[k];
        data[p + 1] = rgb[k + 1];
        data[p + 2] = rgb[k + 2];
        data[p + 3] = 255;
      }
    }
  }
  return { image: createRgbaImage(width, height, data), cells, columns, rows };
}

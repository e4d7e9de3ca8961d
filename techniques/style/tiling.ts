// Where the transformer's tiles go on a large image and how their overlaps are blended. Pure numbers, no TF.js.
//
// Why it looks like this:
// - The transformer downsamples twice by 2, so every tile starts on a multiple of 4: its strided grid then
//   coincides with the one an untiled run would use, and two tiles compute the same thing in their overlap
//   (up to the effect of their own edge padding).
// - A tile's outermost pixels see mirrored padding instead of the real neighbourhood, so in each overlap the
//   first and last `margin` pixels get weight 0 and the weights ramp linearly in between. The ramps of two
//   neighbours sum to exactly 1, so the blend needs no normalization (weight = rampX · rampY, and the sum over
//   a grid of tiles of products of 1-D partitions of unity is 1).
import type { Rect } from '../geometry';
import { PasticheError } from '../errors';

/** One axis of the plan: where each tile starts, how long it is, and its blend weights along that axis. */
export interface AxisSpan {
  start: number;
  length: number;
  /** Blend weight for each pixel of the span (0..1), length `length`. */
  weights: Float32Array;
}

export interface Tile extends Rect {
  /** Per-column and per-row weights; the weight of pixel (i, j) of the tile is weightsX[i] · weightsY[j]. */
  weightsX: Float32Array;
  weightsY: Float32Array;
}

export interface TilingOptions {
  /** Largest tile side, in pixels (a tile may exceed it by up to 3 px to reach the image's edge on the 4-px grid). */
  tileSize: number;
  /** Minimum overlap between neighbouring tiles, in pixels. */
  overlap: number;
  /** Pixels at each end of an overlap that get weight 0 (the tile's padding-affected border). */
  margin: number;
}

export const DEFAULT_TILING: TilingOptions = { tileSize: 512, overlap: 64, margin: 16 };

const GRID = 4;

/**
 * Spans covering 0..size: one span when it fits, else spans every `tileSize - overlap` px (on the 4-px grid), the
 * last one cut at the image's edge. Every overlap is exactly `overlap` px and a span's two overlaps never meet
 * (tileSize > 2 · overlap), which is what keeps the ramps a partition of unity.
 */
export function planAxis(size: number, options: TilingOptions): AxisSpan[] {
  const { tileSize, overlap, margin } = options;
  if (!(overlap >= 2 * margin + 2) || !(tileSize > 2 * overlap) || tileSize % GRID !== 0 || overlap % GRID !== 0) {
    throw new PasticheError('internal', `Bad tiling: tile ${tileSize}, overlap ${overlap}, margin ${margin}.`);
  }
  if (size <= tileSize) return [{ start: 0, length: size, weights: new Float32Array(size).fill(1) }];
  const step = tileSize - overlap;
  const count = Math.ceil((size - overlap) / step); // so the last span is longer than the overlap
  return Array.from({ length: count }, (_, i) => {
    const start = i * step;
    const length = Math.min(tileSize, size - start);
    const weights = new Float32Array(length).fill(1);
    if (i > 0) rampUp(weights, 0, overlap, margin);
    if (i < count - 1) rampDown(weights, length - overlap, length, margin);
    return { start, length, weights };
  });
}

/** Weights over [from, to) of the span: 0 for `margin` px, a linear ramp to 1, then 1 for the last `margin` px. */
function rampUp(weights: Float32Array, from: number, to: number, margin: number): void {
  const ramp = to - from - 2 * margin;
  for (let i = from; i < to; i++) weights[i] *= clamp01((i - from - margin + 0.5) / ramp);
}

function rampDown(weights: Float32Array, from: number, to: number, margin: number): void {
  const ramp = to - from - 2 * margin;
  for (let i = from; i < to; i++) weights[i] *= 1 - clamp01((i - from - margin + 0.5) / ramp);
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** The tiles of a width x height image, row by row. */
export function planTiles(width: number, height: number, options: TilingOptions = DEFAULT_TILING): Tile[] {
  const columns = planAxis(width, options);
  const rows = planAxis(height, options);
  return rows.flatMap((row) =>
    columns.map((column) => ({ x: column.start, y: row.start, width: column.length, height: row.length, weightsX: column.weights, weightsY: row.weights })),
  );
}

/** Adds a tile's RGB, weighted by its blend weights, into the full-size accumulator. */
export function accumulateTile(target: Float32Array, targetWidth: number, tile: Tile, rgb: Float32Array | Int32Array | Uint8Array): void {
  for (let j = 0; j < tile.height; j++) {
    const wy = tile.weightsY[j];
    if (wy === 0) continue;
    let t = ((tile.y + j) * targetWidth + tile.x) * 3;
    let s = j * tile.width * 3;
    for (let i = 0; i < tile.width; i++, t += 3, s += 3) {
      const w = wy * tile.weightsX[i];
      if (w === 0) continue;
      target[t] += w * rgb[s];
      target[t + 1] += w * rgb[s + 1];
      target[t + 2] += w * rgb[s + 2];
    }
  }
}

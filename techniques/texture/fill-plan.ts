// "Fill shape" at any size: one image up to MAX_FILL_SIDE px a side, a repeating seamless tile beyond. One image is
// never made larger (the neural method's time grows with its area, and Figma keeps the image whole), so a target
// over the limit is filled with a tile unless the designer turns the tile off for it; then one image is made at
// the limit, its texture drawn finer by as much as it will be stretched (the bricks keep their size, only
// sharpness is lost), and the result's name says so (a run never stretches silently).
// Pure functions: the panel (which knows the selected shapes' sizes) and run.ts (which knows the exported pixels)
// decide with the same rule.
import { MAX_FILL_SIDE } from './spec';

export interface Size {
  width: number;
  height: number;
}

/** Longest side, in result pixels, of one image filling the largest of these shapes at `resolution` px a point. */
export function fillPixelSide(shapes: readonly Size[], resolution: number): number {
  return Math.round(Math.max(0, ...shapes.map((shape) => Math.max(shape.width, shape.height))) * resolution);
}

/** One image filling these shapes would be larger than the direct-synthesis limit (so it would be stretched). */
export function fillOverLimit(shapes: readonly Size[], resolution: number): boolean {
  return fillPixelSide(shapes, resolution) > MAX_FILL_SIDE;
}

/**
 * Whether the fill is made as a seamless tile. Within the limit: the saved setting. Over it: a tile, unless the
 * designer turned the tile off for this very target (`choiceForTarget`), a choice that is not saved: the next
 * large shape gets a tile again.
 */
export function fillAsTile(savedTile: boolean, overLimit: boolean, choiceForTarget: boolean | undefined): boolean {
  if (!overLimit) return savedTile;
  return choiceForTarget ?? true;
}

/**
 * The pixel size of a fill made as one image: the target's pixels at `resolution`, scaled down by `fit` (≤ 1) to fit
 * the limit. `fit` < 1: Figma will stretch the image over the shape by 1 / fit.
 */
export function directFillSize(width: number, height: number, resolution: number): Size & { fit: number } {
  const w = width * resolution;
  const h = height * resolution;
  const fit = Math.min(1, MAX_FILL_SIDE / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * fit)), height: Math.max(1, Math.round(h * fit)), fit };
}

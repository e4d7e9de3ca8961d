// The gradient of a dream objective with respect to the image, at any size with bounded memory: in one pass when
// the image fits `maxPassSize`, else on overlapping tiles whose gradients are cropped to their cores and put together.
//
// Choice (documented because exactness depends on it): each tile is a core plus a margin on every side; the tile's
// objective is its own spatial mean weighted by its share of the image's positions, and only the core of its
// gradient is kept. A pixel's gradient involves every activation whose receptive field (R px) covers it, and each of
// those sees pixels up to R − 1 px away; a margin ≥ R − 1 therefore makes the core's gradient exactly the
// full-image gradient. Tiles start at multiples of the target's stride, and the image is first padded (mirrored)
// to a multiple of it, so every tile sees the same sampling grid and the same zero padding at the image's edges as
// a single pass would. The margin is capped at a quarter of a pass (so cores stay ≥ half a pass): for layers whose
// receptive field is larger (MobileNetV2 past block_6, class logits) tiling is approximate, and the grid's random
// offset each step keeps its seams from adding up in one place.
import * as tf from '@tensorflow/tfjs';
import { padToMultiple } from './image-ops';
import type { ResolvedObjective } from './objective';

export interface GradientOptions {
  /** Longest side of one forward/backward pass, px (memory and time per pass are bounded by it). */
  maxPassSize: number;
  /** Start of the tile grid in px (rounded down to the stride); a dream draws it at random every step. */
  gridOffset?: [number, number];
}

export interface Interval {
  /** Core [start, end) and window [windowStart, windowEnd) along one axis, px. */
  start: number;
  end: number;
  windowStart: number;
  windowEnd: number;
}

export interface TilePlan {
  margin: number;
  core: number;
  /** True when the margin covers the receptive field: the tiled gradient equals the single-pass one. */
  exact: boolean;
  rows: Interval[];
  columns: Interval[];
}

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;
const roundDown = (v: number, m: number) => Math.floor(v / m) * m;

/** Cores and windows along one axis of `size` px (a multiple of `stride`), the grid starting at `offset`. */
function intervals(size: number, core: number, margin: number, offset: number, stride: number): Interval[] {
  const cuts = [0];
  let next = roundDown(((offset % core) + core) % core, stride);
  if (next === 0) next = core;
  for (; next < size; next += core) cuts.push(next);
  cuts.push(size);
  return cuts.slice(0, -1).map((start, i) => ({ start, end: cuts[i + 1], windowStart: Math.max(0, start - margin), windowEnd: Math.min(size, cuts[i + 1] + margin) }));
}

/** How an image of height x width (multiples of the stride) is cut; one tile when it fits one pass. */
export function planTiles(height: number, width: number, target: ResolvedObjective['target'], options: GradientOptions): TilePlan {
  const s = target.stride;
  const pass = Math.max(roundDown(options.maxPassSize, s), s);
  if (height <= pass && width <= pass) {
    return { margin: 0, core: Math.max(height, width), exact: true, rows: intervals(height, height, 0, 0, s), columns: intervals(width, width, 0, 0, s) };
  }
  const needed = roundUp(target.receptiveField - 1, s);
  const margin = Math.min(needed, Math.max(roundDown(pass / 4, s), 0));
  const core = Math.max(pass - 2 * margin, s);
  const [oy, ox] = options.gridOffset ?? [0, 0];
  return { margin, core, exact: margin >= needed, rows: intervals(height, core, margin, oy, s), columns: intervals(width, core, margin, ox, s) };
}

/**
 * The objective's value and its gradient for `image` [1,H,W,3]. The value is exact in one pass and, tiled, the
 * core-area-weighted mean of the tiles' values (an estimate: margins see more than their cores). Both are tensors
 * (no read-back here); the caller owns them.
 */
export function objectiveGradient(objective: ResolvedObjective, image: tf.Tensor4D, options: GradientOptions): { value: tf.Scalar; gradient: tf.Tensor4D } {
  const [, height, width] = image.shape;
  const s = objective.target.stride;
  let padded: tf.Tensor4D | null = padToMultiple(image, s);
  const rows: tf.Tensor4D[] = [];
  const pieces: tf.Tensor4D[] = [];
  let value = tf.scalar(0);
  try {
    const [, ph, pw] = padded.shape;
    const plan = planTiles(ph, pw, objective.target, options);
    const positions = (ph / s) * (pw / s);
    for (const r of plan.rows) {
      for (const c of plan.columns) {
        const wh = r.windowEnd - r.windowStart;
        const ww = c.windowEnd - c.windowStart;
        const weight = ((wh / s) * (ww / s)) / positions;
        const coreShare = ((r.end - r.start) * (c.end - c.start)) / (ph * pw);
        // The core, cropped to the image (the padding's gradient is not wanted: no full-size slice at the end).
        const [keptH, keptW] = [Math.min(r.end, height) - r.start, Math.min(c.end, width) - c.start];
        const window = padded;
        const [nextValue, core] = tf.tidy(() => {
          const x = wh === ph && ww === pw ? window : tf.slice(window, [0, r.windowStart, c.windowStart, 0], [1, wh, ww, 3]);
          const { value: v, grad } = tf.valueAndGrad((t: tf.Tensor4D) => tf.mul(objective.value(t), weight) as tf.Scalar)(x);
          const kept = grad.shape[1] === keptH && grad.shape[2] === keptW ? grad : tf.slice(grad, [0, r.start - r.windowStart, c.start - c.windowStart, 0], [1, keptH, keptW, 3]);
          return [tf.add(value, tf.mul(v, coreShare / weight)) as tf.Scalar, kept as tf.Tensor4D];
        });
        value.dispose();
        value = nextValue;
        pieces.push(core);
      }
      rows.push(pieces.length === 1 ? pieces[0] : (tf.concat(pieces, 2) as tf.Tensor4D));
      if (pieces.length > 1) tf.dispose(pieces);
      pieces.length = 0;
    }
    // Image-sized tensors are freed as soon as they are done with: a 4096 px image is 134 MB a tensor.
    padded.dispose();
    padded = null;
    const gradient = rows.length === 1 ? rows[0] : (tf.concat(rows, 1) as tf.Tensor4D);
    if (rows.length === 1) rows.length = 0; // handed over as the result
    const result = { value, gradient };
    value = tf.scalar(0); // handed over
    return result;
  } finally {
    value.dispose();
    tf.dispose(pieces);
    tf.dispose(rows);
    padded?.dispose();
  }
}

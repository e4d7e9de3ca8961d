// Where VGG19 runs on a large (or periodic) image: overlapping input tiles, each owning a disjoint block of the
// feature maps, so a loss made of sums over feature positions (Gram statistics) and its gradient can be assembled
// tile by tile with one tile's activations alive at a time, and come out the same as on the whole image. Shared by
// the neural texture objective (texture/texture-objective.ts) and the Gatys style objective (style/gatys-objective.ts).
//
// Why the numbers:
// - relu3_1 at position q depends on input pixels 4q−10 .. 4q+13 (conv1_1, conv1_2, pool1, conv2_1, conv2_2,
//   pool2, conv3_1), so the owned block [x0, x1) needs pixels x0−10 .. x1+9: a tile's input reaches MARGIN = 12 px
//   beyond the pixels it owns, and its owned features never see its own zero padding. (Measured: with 12 the tiled
//   gradient equals the untiled one to 5e-7; with 8 it is off by 3e-2.) A loss that also reads relu3_2 (the Gatys
//   content layer: one more 3x3 conv at 1/4 scale) reaches 4q−14 .. 4q+17 and needs CONTENT_FEATURE_MARGIN = 16.
// - Owned blocks start on multiples of 4 (two 2x2 max pools): the tile's pooling grid coincides with the whole
//   image's, and the owned block at pool level k is simply [x0 / 2^k, x1 / 2^k).
// - Periodic images are tori: a tile's input wraps around (indices modulo the size), so even a single tile sees
//   the right-hand neighbours of its last column at its start, and the wrap-around edge is statistically the
//   interior. Bounded images clamp the input to the image (the border sees VGG's zero padding, as untiled), and
//   their statistics may keep only the "valid" positions, whose reach stays inside the image (axisFeatureRange).

/** Input pixels a tile reads beyond the block it owns (≥ 10: relu3_1's reach; a multiple of 4). */
export const FEATURE_MARGIN = 12;
/** The same for a loss that reads relu3_2 too (≥ 14; a multiple of 4). */
export const CONTENT_FEATURE_MARGIN = 16;
const GRID = 4;

/** One axis of a tile: the pixels it owns and the (possibly wrapping) input interval it reads. */
export interface TileSpan {
  /** Owned pixels [start, end). */
  start: number;
  end: number;
  /** Input interval [inStart, inStart + inLength) in image coordinates (may leave [0, size) when periodic). */
  inStart: number;
  inLength: number;
}

export interface FeatureTile {
  x: TileSpan;
  y: TileSpan;
}

/** Owned spans covering [0, size): one when it fits in `tileSide`, else near-equal spans on the 4-px grid. */
export function planSpans(size: number, tileSide: number, periodic: boolean, margin = FEATURE_MARGIN): TileSpan[] {
  const count = size <= tileSide ? 1 : Math.ceil(size / Math.max(GRID, tileSide));
  const edges = Array.from({ length: count + 1 }, (_, i) => (i === 0 ? 0 : i === count ? size : Math.round((i * size) / count / GRID) * GRID));
  const spans: TileSpan[] = [];
  for (let i = 0; i < count; i++) {
    const start = edges[i];
    const end = edges[i + 1];
    if (end <= start) continue;
    const inStart = periodic ? start - margin : Math.max(0, start - margin);
    const inEnd = periodic ? end + margin : Math.min(size, end + margin);
    spans.push({ start, end, inStart, inLength: inEnd - inStart });
  }
  return spans;
}

export function planFeatureTiles(width: number, height: number, tileSide: number, periodic: boolean, margin = FEATURE_MARGIN): FeatureTile[] {
  const xs = planSpans(width, tileSide, periodic, margin);
  const ys = planSpans(height, tileSide, periodic, margin);
  return ys.flatMap((y) => xs.map((x) => ({ x, y })));
}

/**
 * How far (in input pixels) relu1_1, relu2_1 and relu3_1 at position p·2^k reach to the left and to the right.
 * Positions whose reach leaves a bounded image see VGG's zero padding (a dark frame that is no part of the
 * texture); `valid` statistics leave them out.
 */
const REACH_BEFORE = [1, 4, 10];
const REACH_AFTER = [1, 5, 13];

/** The feature positions [start, end) of a whole axis at pool level k: all of them, or only the valid ones. */
export function axisFeatureRange(size: number, level: number, valid: boolean): { start: number; end: number } {
  if (!valid) return { start: 0, end: Math.floor(size / 2 ** level) };
  const start = Math.ceil(REACH_BEFORE[level] / 2 ** level);
  const end = Math.floor((size - 1 - REACH_AFTER[level]) / 2 ** level) + 1;
  return { start, end: Math.max(start, Math.min(end, Math.floor(size / 2 ** level))) };
}

/**
 * The feature positions a span owns at pool level k (0: relu1_x, 1: relu2_x, 2: relu3_x), in the tile's own
 * feature map: offset and count. `valid` (bounded images): only positions that see no zero padding.
 */
export function ownedFeatures(span: TileSpan, size: number, level: number, valid = false): { offset: number; count: number } {
  const range = axisFeatureRange(size, level, valid);
  const first = Math.max(range.start, span.start >> level);
  const last = span.end === size ? range.end : Math.min(range.end, span.end >> level);
  return { offset: first - Math.floor(span.inStart / 2 ** level), count: Math.max(0, last - first) };
}

function axisIndices(span: TileSpan, size: number): Int32Array {
  const out = new Int32Array(span.inLength);
  for (let t = 0; t < span.inLength; t++) out[t] = (((span.inStart + t) % size) + size) % size;
  return out;
}

/** The tile's input pixels (RGB, [inHeight, inWidth, 3]) read from an interleaved RGB image. */
export function gatherTile(image: Float32Array, width: number, height: number, tile: FeatureTile): Float32Array {
  const xs = axisIndices(tile.x, width);
  const ys = axisIndices(tile.y, height);
  const out = new Float32Array(xs.length * ys.length * 3);
  let o = 0;
  for (let j = 0; j < ys.length; j++) {
    const row = ys[j] * width;
    for (let i = 0; i < xs.length; i++, o += 3) {
      const s = (row + xs[i]) * 3;
      out[o] = image[s];
      out[o + 1] = image[s + 1];
      out[o + 2] = image[s + 2];
    }
  }
  return out;
}

/** Adds a gradient on the tile's input back onto the image's pixels (wrapped pixels receive every share). */
export function scatterTile(gradient: Float32Array, width: number, height: number, tile: FeatureTile, tileGradient: ArrayLike<number>, scale = 1): void {
  const xs = axisIndices(tile.x, width);
  const ys = axisIndices(tile.y, height);
  let o = 0;
  for (let j = 0; j < ys.length; j++) {
    const row = ys[j] * width;
    for (let i = 0; i < xs.length; i++, o += 3) {
      const s = (row + xs[i]) * 3;
      gradient[s] += scale * tileGradient[o];
      gradient[s + 1] += scale * tileGradient[o + 1];
      gradient[s + 2] += scale * tileGradient[o + 2];
    }
  }
}

// Image quilting (Efros & Freeman 2001): the patch method of texture fill. The output is laid out as a grid of
// overlapping square-ish blocks copied from the sample; each block is chosen, in raster order, among the sample
// positions whose overlap with what is already placed differs least (any of those within (1 + tolerance) of the
// best, at random: the seed), and pasted along a minimum-error boundary cut (dynamic programming over the overlap)
// instead of a straight edge, so block borders follow the texture's own contours.
//
// seamless: the output is a torus. The grid spans exactly the output (block steps differ by at most 1 px), blocks
// of the last column also overlap the first column's blocks (wrapping around), blocks of the last row the first
// row's, and those extra overlaps get their own cuts: tiling the output shows no seam.
//
// Speed (pure JS on typed arrays; measured on a 2-core machine, see test/unit/texture-quilting.test.ts): the
// candidates of a block are at most MAX_CANDIDATES sample positions on a randomly offset grid, ranked by a cheap
// error (luminance on every other overlap pixel in each direction, with early exit once worse than the K-th best);
// the K best are then compared on full RGB over the whole overlap and, when the grid skipped positions, moved
// downhill to the best position nearby (a halving pattern search). Cost per block ∝ candidates × overlap area,
// independent of the sample's size.
import { PasticheError, throwIfAborted } from '../errors';
import { createRgbaImage, type RgbaImage } from '../image';
import type { JobContext } from '../job';
import { seededRandom, type Random } from '../random';
import { cropRgbFloat, toOpaqueRgba, toRgbFloat } from './pixels';
import { resizeRgb } from './resample';

export interface QuiltOptions {
  width: number;
  height: number;
  /** Block side in sample pixels (default: a quarter of the sample's shorter side, 12..128). */
  blockSize?: number;
  /**
   * Overlap between neighbouring blocks. Default: a quarter of the block, at least 2 (Efros & Freeman suggest a
   * sixth; measured on brick at 128 px, seamless, 12 seeds: step across the cuts / inside blocks 1.07-1.38 with a
   * sixth, 1.00-1.21 with a quarter: the cut needs room to go round a brick).
   */
  overlap?: number;
  seamless: boolean;
  seed: number;
  /** Candidates within (1 + tolerance) × the best overlap error are equally likely (Efros & Freeman: 0.1). */
  tolerance?: number;
  /** Sample positions ranked per block (default MAX_CANDIDATES): more is slower and matches a little better. */
  candidates?: number;
}

export interface QuiltResult {
  image: RgbaImage;
  /** For each output pixel, the index of the block it was copied from (raster order). */
  labels: Int32Array;
  /** Block grid: columns and rows, and the block step actually used. */
  columns: number;
  rows: number;
  blockSize: number;
  overlap: number;
}

export const MAX_QUILT_SIDE = 4096;
/** Smallest side quilted directly (quiltTexture handles smaller outputs, quiltTextureDetailed refuses them). */
export const MIN_QUILT_SIDE = 16;
/** Smallest sample side (a block must fit in it). */
export const MIN_SAMPLE_SIDE = 8;
/** Sample positions ranked per block (a randomly offset grid when the sample has more). */
export const MAX_CANDIDATES = 4096;
/** Best coarse candidates compared on full RGB. */
const REFINED = 8;

type QuiltContext = Pick<JobContext, 'signal' | 'onProgress'>;

/**
 * The quilted texture. Outputs smaller than MIN_QUILT_SIDE are quilted at that side and cropped, or, seamless,
 * shrunk on the torus (area average with wrap-around) so that the small result still tiles.
 */
export async function quiltTexture(sample: RgbaImage, options: QuiltOptions, context: QuiltContext): Promise<RgbaImage> {
  const { width, height } = options;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1) || (width >= MIN_QUILT_SIDE && height >= MIN_QUILT_SIDE)) {
    return (await quiltTextureDetailed(sample, options, context)).image;
  }
  const work = { width: Math.max(width, MIN_QUILT_SIDE), height: Math.max(height, MIN_QUILT_SIDE) };
  const big = (await quiltTextureDetailed(sample, { ...options, ...work }, context)).image;
  const rgb = toRgbFloat(big);
  const small = options.seamless ? resizeRgb(rgb.rgb, work.width, work.height, width, height, true) : cropRgbFloat(rgb, 0, 0, width, height).rgb;
  return toOpaqueRgba(small, width, height);
}

export async function quiltTextureDetailed(sample: RgbaImage, options: QuiltOptions, context: QuiltContext): Promise<QuiltResult> {
  const { width: W, height: H, seamless } = options;
  for (const [name, v] of [['Width', W], ['Height', H]] as const) {
    if (!Number.isInteger(v) || v < MIN_QUILT_SIDE) throw new PasticheError('bad-params', `${name} must be a whole number of at least ${MIN_QUILT_SIDE} px (got ${v}).`);
    if (v > MAX_QUILT_SIDE) throw new PasticheError('too-large', `${name} is ${v} px; a texture can be at most ${MAX_QUILT_SIDE} px a side.`);
  }
  if (!(sample.width >= MIN_SAMPLE_SIDE && sample.height >= MIN_SAMPLE_SIDE)) {
    throw new PasticheError('bad-input', `The texture sample is too small (${sample.width}x${sample.height} px; it needs at least ${MIN_SAMPLE_SIDE} px a side).`);
  }
  throwIfAborted(context.signal);
  const tolerance = options.tolerance ?? 0.1;
  const candidates = Math.max(1, Math.floor(options.candidates ?? MAX_CANDIDATES));
  const random = seededRandom(options.seed);
  const sw = sample.width;
  const sh = sample.height;
  const sampleSide = Math.min(sw, sh);
  let block = Math.min(sampleSide, Math.round(options.blockSize ?? Math.min(128, Math.max(12, sampleSide / 4))));
  let overlap = Math.round(options.overlap ?? Math.max(2, block / 4));
  if (!(block >= 2)) throw new PasticheError('bad-params', `Block size must be at least 2 px (got ${options.blockSize}).`);
  overlap = Math.max(1, Math.min(overlap, Math.floor(block / 2)));
  const xs = gridEdges(W, block - overlap, overlap, seamless);
  const ys = gridEdges(H, block - overlap, overlap, seamless);
  // Very small outputs: the overlap must fit in every step (a block's two wrapped overlaps may not meet).
  overlap = Math.max(1, Math.min(overlap, minStep(xs), minStep(ys)));
  block = Math.max(...stepsOf(xs), ...stepsOf(ys)) + overlap;
  const columns = xs.length - 1;
  const rows = ys.length - 1;

  // Sample as RGB floats (0..255) and luminance.
  const srgb = new Float32Array(sw * sh * 3);
  const slum = new Float32Array(sw * sh);
  for (let p = 0; p < sw * sh; p++) {
    const r = sample.data[p * 4];
    const g = sample.data[p * 4 + 1];
    const b = sample.data[p * 4 + 2];
    srgb[p * 3] = r;
    srgb[p * 3 + 1] = g;
    srgb[p * 3 + 2] = b;
    slum[p] = 0.299 * r + 0.587 * g + 0.114 * b;
  }
  const canvas = new Uint8ClampedArray(W * H * 3);
  const labels = new Int32Array(W * H).fill(-1);

  for (let j = 0; j < rows; j++) {
    throwIfAborted(context.signal);
    for (let i = 0; i < columns; i++) {
      const bw = xs[i + 1] - xs[i] + overlap;
      const bh = ys[j + 1] - ys[j] + overlap;
      const x0 = xs[i];
      const y0 = ys[j];
      const wrapX = (dx: number) => (seamless ? (x0 + dx) % W : x0 + dx);
      const wrapY = (dy: number) => (seamless ? (y0 + dy) % H : y0 + dy);
      // Already placed pixels of the footprint (the overlap), as offsets into the sample and canvas values.
      const known = collectOverlap(bw, bh, wrapX, wrapY, canvas, labels, W, sw);
      const [u, v] = known.count === 0 ? [Math.floor(random() * (sw - bw + 1)), Math.floor(random() * (sh - bh + 1))] : chooseBlock(known, srgb, slum, sw, sh, bw, bh, tolerance, candidates, random);
      // Which footprint pixels take the new block: all, except across the cuts in the overlaps.
      const take = new Uint8Array(bw * bh).fill(1);
      const error = (dx: number, dy: number) => {
        const s = ((v + dy) * sw + u + dx) * 3;
        const c = (wrapY(dy) * W + wrapX(dx)) * 3;
        const a = srgb[s] - canvas[c];
        const b = srgb[s + 1] - canvas[c + 1];
        const d = srgb[s + 2] - canvas[c + 2];
        return a * a + b * b + d * d;
      };
      const hasLeft = i > 0;
      const hasTop = j > 0;
      const hasRight = seamless && i === columns - 1 && columns > 1;
      const hasBottom = seamless && j === rows - 1 && rows > 1;
      if (hasLeft) {
        const path = minimumCut(bh, overlap, (t, d) => error(d, t));
        for (let t = 0; t < bh; t++) for (let d = 0; d < path[t]; d++) take[t * bw + d] = 0;
      }
      if (hasRight) {
        const path = minimumCut(bh, overlap, (t, d) => error(bw - overlap + d, t));
        for (let t = 0; t < bh; t++) for (let d = path[t] + 1; d < overlap; d++) take[t * bw + bw - overlap + d] = 0;
      }
      if (hasTop) {
        const path = minimumCut(bw, overlap, (t, d) => error(t, d));
        for (let t = 0; t < bw; t++) for (let d = 0; d < path[t]; d++) take[d * bw + t] = 0;
      }
      if (hasBottom) {
        const path = minimumCut(bw, overlap, (t, d) => error(t, bh - overlap + d));
        for (let t = 0; t < bw; t++) for (let d = path[t] + 1; d < overlap; d++) take[(bh - overlap + d) * bw + t] = 0;
      }
      const label = j * columns + i;
      for (let dy = 0; dy < bh; dy++) {
        const cy = wrapY(dy);
        for (let dx = 0; dx < bw; dx++) {
          const c = cy * W + wrapX(dx);
          if (!take[dy * bw + dx] && labels[c] >= 0) continue;
          const s = ((v + dy) * sw + u + dx) * 3;
          canvas[c * 3] = srgb[s];
          canvas[c * 3 + 1] = srgb[s + 1];
          canvas[c * 3 + 2] = srgb[s + 2];
          labels[c] = label;
        }
      }
    }
    context.onProgress({ fraction: (j + 1) / rows, message: `row ${j + 1} of ${rows}` });
    await new Promise<void>((resolve) => setTimeout(resolve, 0)); // let a cancel arrive between rows
  }
  throwIfAborted(context.signal);
  const data = new Uint8ClampedArray(W * H * 4);
  for (let p = 0; p < W * H; p++) {
    data[p * 4] = canvas[p * 3];
    data[p * 4 + 1] = canvas[p * 3 + 1];
    data[p * 4 + 2] = canvas[p * 3 + 2];
    data[p * 4 + 3] = 255;
  }
  return { image: createRgbaImage(W, H, data), labels, columns, rows, blockSize: block, overlap };
}

/**
 * Block starts along one axis (plus the end): seamless, `count` steps spanning exactly `size` (a torus);
 * otherwise steps spanning size − overlap, so the last block ends at the edge. Steps differ by at most 1 px.
 */
function gridEdges(size: number, step: number, overlap: number, seamless: boolean): number[] {
  const span = seamless ? size : size - overlap;
  const count = seamless ? Math.max(2, Math.ceil(size / step)) : Math.max(1, Math.ceil(span / step));
  return Array.from({ length: count + 1 }, (_, i) => Math.floor((i * span) / count));
}

function stepsOf(edges: number[]): number[] {
  return edges.slice(1).map((e, i) => e - edges[i]);
}

function minStep(edges: number[]): number {
  return Math.min(...stepsOf(edges));
}

interface Overlap {
  count: number;
  /** Offsets (dx + dy·sampleWidth) into the sample from a candidate's top-left corner. */
  sampleOffsets: Int32Array;
  /** The canvas's RGB at those pixels. */
  rgb: Float32Array;
  /** The subset used for ranking: every other pixel in each direction, luminance only. */
  coarseOffsets: Int32Array;
  coarseLum: Float32Array;
}

function collectOverlap(bw: number, bh: number, wrapX: (dx: number) => number, wrapY: (dy: number) => number, canvas: Uint8ClampedArray, labels: Int32Array, W: number, sw: number): Overlap {
  const offsets: number[] = [];
  const rgb: number[] = [];
  const coarseOffsets: number[] = [];
  const coarseLum: number[] = [];
  for (let dy = 0; dy < bh; dy++) {
    const cy = wrapY(dy) * W;
    for (let dx = 0; dx < bw; dx++) {
      const c = cy + wrapX(dx);
      if (labels[c] < 0) continue;
      const r = canvas[c * 3];
      const g = canvas[c * 3 + 1];
      const b = canvas[c * 3 + 2];
      offsets.push(dy * sw + dx);
      rgb.push(r, g, b);
      if ((dx & 1) === 0 && (dy & 1) === 0) {
        coarseOffsets.push(dy * sw + dx);
        coarseLum.push(0.299 * r + 0.587 * g + 0.114 * b);
      }
    }
  }
  return { count: offsets.length, sampleOffsets: Int32Array.from(offsets), rgb: Float32Array.from(rgb), coarseOffsets: Int32Array.from(coarseOffsets), coarseLum: Float32Array.from(coarseLum) };
}

/** The sample position of the next block: ranked coarse, refined on RGB, one of the near-best at random. */
function chooseBlock(known: Overlap, srgb: Float32Array, slum: Float32Array, sw: number, sh: number, bw: number, bh: number, tolerance: number, candidates: number, random: Random): [number, number] {
  const nu = sw - bw + 1;
  const nv = sh - bh + 1;
  const stride = Math.max(1, Math.ceil(Math.sqrt((nu * nv) / candidates)));
  const ou = Math.floor(random() * Math.min(stride, nu));
  const ov = Math.floor(random() * Math.min(stride, nv));
  // The K best by the coarse error (kept sorted, ascending).
  const bestErr = new Float64Array(REFINED).fill(Infinity);
  const bestPos = new Int32Array(REFINED).fill(-1);
  const co = known.coarseOffsets;
  const cl = known.coarseLum;
  const n = co.length;
  for (let v = ov; v < nv; v += stride) {
    for (let u = ou; u < nu; u += stride) {
      const base = v * sw + u;
      const limit = bestErr[REFINED - 1];
      let e = 0;
      for (let k = 0; k < n; k++) {
        const d = slum[base + co[k]] - cl[k];
        e += d * d;
        if (e >= limit && (k & 31) === 31) break;
      }
      if (e < limit) {
        let at = REFINED - 1;
        while (at > 0 && bestErr[at - 1] > e) {
          bestErr[at] = bestErr[at - 1];
          bestPos[at] = bestPos[at - 1];
          at--;
        }
        bestErr[at] = e;
        bestPos[at] = base;
      }
    }
  }
  // Full RGB error over the whole overlap, then a local search when the grid skipped positions.
  const full = (u: number, v: number) => {
    const base = v * sw + u;
    const so = known.sampleOffsets;
    const rgb = known.rgb;
    let e = 0;
    for (let k = 0; k < so.length; k++) {
      const s = (base + so[k]) * 3;
      const a = srgb[s] - rgb[k * 3];
      const b = srgb[s + 1] - rgb[k * 3 + 1];
      const c = srgb[s + 2] - rgb[k * 3 + 2];
      e += a * a + b * b + c * c;
    }
    return e;
  };
  const found = new Map<number, number>();
  for (const base of bestPos) {
    if (base < 0) continue;
    let u = base % sw;
    let v = Math.floor(base / sw);
    let e = full(u, v);
    for (let step = stride >> 1; step >= 1; ) {
      let moved = false;
      for (const [du, dv] of NEIGHBOURS) {
        const uu = u + du * step;
        const vv = v + dv * step;
        if (uu < 0 || vv < 0 || uu >= nu || vv >= nv) continue;
        const ee = full(uu, vv);
        if (ee < e) {
          e = ee;
          u = uu;
          v = vv;
          moved = true;
        }
      }
      if (!moved) step >>= 1;
    }
    found.set(v * sw + u, e);
  }
  let min = Infinity;
  for (const e of found.values()) min = Math.min(min, e);
  const near = [...found.entries()].filter(([, e]) => e <= min * (1 + tolerance) + 1e-9).map(([p]) => p);
  const pick = near[Math.floor(random() * near.length)];
  return [pick % sw, Math.floor(pick / sw)];
}

const NEIGHBOURS = [
  [-1, -1],
  [0, -1],
  [1, -1],
  [-1, 0],
  [1, 0],
  [-1, 1],
  [0, 1],
  [1, 1],
];

/**
 * The minimum-error path through an overlap strip of `length` x `depth` pixels (t along the strip, d across it):
 * one d per t, moving at most 1 between neighbours (dynamic programming, Efros & Freeman §2.1).
 */
export function minimumCut(length: number, depth: number, error: (t: number, d: number) => number): Int32Array {
  const cost = new Float64Array(length * depth);
  for (let d = 0; d < depth; d++) cost[d] = error(0, d);
  for (let t = 1; t < length; t++) {
    for (let d = 0; d < depth; d++) {
      const row = (t - 1) * depth;
      let best = cost[row + d];
      if (d > 0 && cost[row + d - 1] < best) best = cost[row + d - 1];
      if (d < depth - 1 && cost[row + d + 1] < best) best = cost[row + d + 1];
      cost[t * depth + d] = best + error(t, d);
    }
  }
  const path = new Int32Array(length);
  let d = 0;
  for (let k = 1; k < depth; k++) if (cost[(length - 1) * depth + k] < cost[(length - 1) * depth + d]) d = k;
  path[length - 1] = d;
  for (let t = length - 2; t >= 0; t--) {
    let next = d;
    for (const c of [d - 1, d + 1]) if (c >= 0 && c < depth && cost[t * depth + c] < cost[t * depth + next]) next = c;
    d = next;
    path[t] = d;
  }
  return path;
}

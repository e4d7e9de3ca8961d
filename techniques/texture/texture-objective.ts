// The neural texture objective (Gatys, Ecker & Bethge 2015, "Texture synthesis using CNNs"), as f(x) and ∇f(x)
// for L-BFGS over a flat RGB vector: match the sample's VGG19 feature statistics at relu1_1, relu2_1 and relu3_1,
// at every level of an image pyramid. Two statistics:
//
// - 'gram': Gram matrices, mean((G − T)²) / mean(T²) per layer (the same normalized term as the Gatys style path
//   and as the texture metric). Gram matrices are sums over feature positions, so on a large image the loss and
//   its EXACT gradient come from tiles in two passes: (1) forward every tile, add up its owned FᵀF; (2) with
//   A = ∂L/∂G now known, backpropagate each tile's ½·Σ F ⊙ (F·M), M = (2/N)·A, whose gradient w.r.t. F is
//   exactly the full loss's (2/N)·F·A. One tile's activations are alive at a time. A single tile (the usual case)
//   needs only one forward+backward pass.
// - 'swd': sliced Wasserstein distance (Heitz et al. 2021): project features on K = C random unit directions, sort
//   the projections of the output and of the sample, and match them value by value (the sample's sorted
//   projections are resampled to the output's count of positions). On one tile this is exact. On several tiles
//   it is a documented approximation: each tile's owned features are matched to the sample's distribution on their
//   own, weighted by their share of positions (a sort needs every value at once; this keeps memory bounded, and
//   since every part of a texture should have the sample's distribution it is a stricter, not a looser, demand).
//   The directions are drawn once per objective (seeded), not every step, so L-BFGS sees one fixed function.
//
// Which positions count: the sample's statistics come from its VALID feature positions only (those that do not
// see VGG's zero padding at its border: a dark frame is no part of the texture), and so do a bounded output's. A
// periodic output (a torus, tiles wrap around, see optimize/feature-tiles.ts) has no border: every position counts.
// Measured at 128 px on gravel: with the sample's border features in its targets, a periodic output had to imitate
// that frame inside and its Gram distance to the sample stalled at 0.011 (the halves floor is 0.009); with valid
// targets, 0.0017 after 20 steps.
// Pyramid levels are area-halved copies of the image (resample.ts); their gradient returns through the adjoint.
// A colour-histogram term (pixel-histogram.ts) and a pixel-scale one (fine-histogram.ts) are added at full resolution.
import * as tf from '@tensorflow/tfjs';
import type { Vgg19, Vgg19Layer } from '../../models/networks/vgg19';
import type { ValueAndGradient } from '../optimize/lbfgs';
import { seededRandom } from '../random';
import { type FeatureTile, axisFeatureRange, gatherTile, ownedFeatures, planFeatureTiles, scatterTile } from '../optimize/feature-tiles';
import { gramSum, halfQuadraticForm, project, sortRowsDescending } from '../optimize/matrix-ops';
import { gaussian } from './noise';
import { createFineHistogram } from './fine-histogram';
import { createPixelHistogram } from './pixel-histogram';
import type { RgbFloatImage } from './pixels';
import { type AxisResample, axisResample, resample, resampleAdjoint } from './resample';

export type TextureLoss = 'gram' | 'swd';

/** The first ReLU of each VGG19 block in reach, as in Gatys et al. (who add conv4_1 and conv5_1). */
export const TEXTURE_LAYERS = ['relu1_1', 'relu2_1', 'relu3_1'] as const satisfies readonly Vgg19Layer[];
/** The max-pool depth of each layer: its feature map is 2^k times smaller than the input. */
const POOL_LEVEL = [0, 1, 2];
/**
 * Largest owned tile side by default. Measured (tfjs-wasm, one L-BFGS step at 512 px): one 512 px tile 16.2 s and
 * 2.4 GB resident (the WASM heap grows to the tile's backward pass and never shrinks), four 256 px tiles 18.8 s
 * and 0.84 GB. The second pass of the tiled Gram gradient costs little: a forward pass is ~1/3 of a backward one.
 */
export const DEFAULT_TILE_SIDE = 256;
/** Weight of the colour-histogram term against the (normalized) VGG statistics term. */
export const DEFAULT_HISTOGRAM_WEIGHT = 1;
/**
 * Weight of the pixel-scale (2x2 checkerboard) histogram term (fine-histogram.ts). Its value is large next to the
 * VGG term's (a hatched output scores ~10, a converged VGG term ~0.01): at weight 1 it ruled the optimisation
 * (brick 256 px, 40 steps: Gram distance 1.5x the halves floor instead of 0.03x, no bricks formed); at 0.01 the
 * Gram distance stayed 0.0031 while the checkerboard energy fell from 4.2x the sample's to 1.07x (from the 512 px
 * sample: 9.8x to 1.09x).
 */
export const DEFAULT_FINE_WEIGHT = 0.01;
/** Sample positions kept per layer for the sorted SWD targets (a random subset beyond: quantiles barely move). */
const SWD_TARGET_POSITIONS = 1 << 16;

export interface TextureObjectiveOptions {
  width: number;
  height: number;
  /** Treat the image as a torus (seamless output). */
  periodic: boolean;
  /** Pyramid levels: 1 = the image only, 2 = also the half-size copy, ... */
  levels: number;
  loss: TextureLoss;
  /** Largest owned tile side (a multiple of 4); images that fit are computed in one piece. */
  tileSide?: number;
  /** Seeds the SWD projection directions. */
  seed?: number;
  /** Weight of the colour-histogram term (pixel-histogram.ts); 0 = VGG statistics only. */
  histogramWeight?: number;
  /** Weight of the pixel-scale term (fine-histogram.ts); 0 = none. */
  fineWeight?: number;
}

export interface TextureObjective {
  /** f(x) and ∇f(x) for x = the image as width·height·3 floats (0..1). */
  evaluate: ValueAndGradient;
  /** Tiles at full resolution (1 = untiled). */
  readonly tiles: number;
  dispose(): void;
}

interface LevelGeometry {
  width: number;
  height: number;
  /** From the previous level (undefined at level 0). */
  x?: AxisResample;
  y?: AxisResample;
  tiles: FeatureTile[];
  /** Statistics over the valid positions only (bounded images: no zero-padding features), see optimize/feature-tiles.ts. */
  valid: boolean;
  /** Feature positions of the whole level, per layer. */
  positions: number[];
}

interface GramTarget {
  gram: tf.Tensor2D;
  meanSquare: number;
}

interface SwdTarget {
  directions: tf.Tensor2D; // [C, K]
  directionsT: tf.Tensor2D; // [K, C]
  /** Sorted projections of the sample, descending, [K, Q] row-major. */
  sorted: Float32Array;
  quantiles: number;
  meanSquare: number;
  /** The sorted targets resampled to N positions, by N. */
  byCount: Map<number, tf.Tensor2D>;
}

/** The objective, its targets computed from the sample first (read back asynchronously: a synchronous read stalls a
 *  GPU backend's queue, seconds each on WebGPU). */
export async function createTextureObjective(vgg: Vgg19, sample: RgbFloatImage, options: TextureObjectiveOptions): Promise<TextureObjective> {
  const levels = Math.max(1, Math.floor(options.levels));
  const tileSide = options.tileSide ?? DEFAULT_TILE_SIDE;
  const geometry = levelGeometry(options.width, options.height, levels, tileSide, options.periodic);
  const samples = samplePyramid(sample, levels);
  const random = seededRandom(options.seed ?? 0);
  const layerCount = TEXTURE_LAYERS.length;
  const histogramWeight = options.histogramWeight ?? DEFAULT_HISTOGRAM_WEIGHT;
  const histogram = histogramWeight > 0 ? createPixelHistogram(sample) : null;
  const fineWeight = options.fineWeight ?? DEFAULT_FINE_WEIGHT;
  const fine = fineWeight > 0 ? createFineHistogram(sample) : null;

  // Targets per level and layer, computed once.
  const gramTargets: GramTarget[][] = [];
  const swdTargets: SwdTarget[][] = [];
  const directions: tf.Tensor2D[] = [];
  const directionsT: tf.Tensor2D[] = [];
  if (options.loss === 'swd') {
    // One set of directions per layer (shared by the levels), drawn from the seed.
    const channels = channelCounts(vgg);
    for (const c of channels) {
      const v = randomDirections(c, c, random);
      directions.push(v);
      directionsT.push(tf.transpose(v));
    }
  }
  try {
    for (const [level, s] of samples.entries()) {
      if (options.loss === 'gram') gramTargets[level] = await sampleGrams(vgg, s);
      else swdTargets[level] = await sampleSortedProjections(vgg, s, directions, random);
    }
  } catch (error) {
    disposeAll();
    throw error;
  }

  function disposeAll(): void {
    gramTargets.flat().forEach((t) => t.gram.dispose());
    swdTargets.flat().forEach((t) => t.byCount.forEach((v) => v.dispose()));
    tf.dispose([...directions, ...directionsT]);
  }

  /** Loss of one tile's owned features given the targets of a level (SWD: weighted by the tile's share). Differentiable. */
  const tileLoss = (input: tf.Tensor4D, tile: FeatureTile, level: number, geo: LevelGeometry): tf.Scalar => {
    const features = vgg.features(input, TEXTURE_LAYERS);
    const terms = TEXTURE_LAYERS.map((layer, i) => {
      const owned = ownedSlice(features[layer], tile, geo, POOL_LEVEL[i]);
      if (options.loss === 'gram') {
        const t = gramTargets[level][i];
        const gram = tf.div(gramSum(owned), geo.positions[i]);
        return tf.div(tf.mean(tf.squaredDifference(gram, t.gram)), t.meanSquare);
      }
      const t = swdTargets[level][i];
      const n = owned.shape[0];
      if (n === 0) return tf.scalar(0); // a thin edge tile owns no position at this depth
      const projected = tf.transpose(project(owned, t.directions, t.directionsT)) as tf.Tensor2D; // [K, n]
      const sorted = sortRowsDescending(projected);
      const share = n / geo.positions[i];
      return tf.mul(tf.div(tf.mean(tf.squaredDifference(sorted, targetForCount(t, n))), t.meanSquare), share);
    });
    return tf.div(tf.addN(terms), layerCount) as tf.Scalar;
  };

  /** Value and gradient (w.r.t. the level image) of one level's loss. */
  const evaluateLevel = async (image: Float32Array, level: number): Promise<{ value: number; gradient: Float32Array }> => {
    const geo = geometry[level];
    const gradient = new Float32Array(geo.width * geo.height * 3);
    if (geo.tiles.length === 1 || options.loss === 'swd') {
      // One pass per tile: the loss is a sum of per-tile terms (exact for one tile).
      let value = 0;
      for (const tile of geo.tiles) {
        const input = tileTensor(image, geo, tile);
        const { value: v, grad } = tf.tidy(() => tf.valueAndGrad((x: tf.Tensor) => tileLoss(x as tf.Tensor4D, tile, level, geo))(input));
        input.dispose();
        try {
          const [vv, gg] = await Promise.all([v.data(), grad.data()]);
          value += vv[0];
          scatterTile(gradient, geo.width, geo.height, tile, gg as Float32Array);
        } finally {
          tf.dispose([v, grad]);
        }
      }
      return { value, gradient };
    }
    // Gram on several tiles, exactly: pass 1 sums FᵀF over the tiles' owned features.
    let sums: tf.Tensor2D[] = [];
    try {
      for (const tile of geo.tiles) {
        sums = addTileGramSums(vgg, image, geo, tile, sums);
        await sums[0].data(); // let the backend finish before the next tile's activations (memory stays one tile)
      }
      // The loss and M = (2/N)·∂L/∂G per layer.
      const { value, weights } = tf.tidy(() => {
        const parts: tf.Scalar[] = [];
        const m: tf.Tensor2D[] = [];
        TEXTURE_LAYERS.forEach((_, i) => {
          const t = gramTargets[level][i];
          const n = geo.positions[i];
          const gram = tf.div(sums[i], n);
          const diff = tf.sub(gram, t.gram);
          const c = t.gram.shape[0];
          parts.push(tf.div(tf.mean(tf.square(diff)), t.meanSquare * layerCount) as tf.Scalar);
          m.push(tf.keep(tf.mul(diff, 4 / (n * c * c * t.meanSquare * layerCount)) as tf.Tensor2D));
        });
        return { value: tf.keep(tf.addN(parts) as tf.Scalar), weights: m };
      });
      try {
        for (const tile of geo.tiles) {
          const input = tileTensor(image, geo, tile);
          const grad = tf.tidy(() =>
            tf.grad((x: tf.Tensor) => {
              const features = vgg.features(x as tf.Tensor4D, TEXTURE_LAYERS);
              const terms = TEXTURE_LAYERS.map((layer, i) => {
                return halfQuadraticForm(ownedSlice(features[layer], tile, geo, POOL_LEVEL[i]), weights[i]);
              });
              return tf.addN(terms) as tf.Scalar;
            })(input),
          );
          input.dispose();
          try {
            scatterTile(gradient, geo.width, geo.height, tile, (await grad.data()) as Float32Array);
          } finally {
            grad.dispose();
          }
        }
        return { value: (await value.data())[0], gradient };
      } finally {
        tf.dispose([value, ...weights]);
      }
    } finally {
      tf.dispose(sums);
    }
  };

  const evaluate: ValueAndGradient = async (x) => {
    // The pyramid, coarse levels from fine ones.
    const images: Float32Array[] = [x];
    for (let level = 1; level < levels; level++) images.push(resample(images[level - 1], 3, geometry[level].x!, geometry[level].y!));
    let value = 0;
    let carried: Float32Array | null = null; // gradient w.r.t. the level below's image, coarsest first
    for (let level = levels - 1; level >= 0; level--) {
      const result = await evaluateLevel(images[level], level);
      value += result.value / levels;
      const g = result.gradient;
      for (let i = 0; i < g.length; i++) g[i] /= levels;
      if (carried) for (let i = 0; i < g.length; i++) g[i] += carried[i];
      carried = level > 0 ? resampleAdjoint(g, 3, geometry[level].x!, geometry[level].y!) : g;
    }
    const gradient = carried!;
    if (histogram) {
      const h = histogram.evaluate(x);
      value += histogramWeight * h.value;
      for (let i = 0; i < gradient.length; i++) gradient[i] += histogramWeight * h.gradient[i];
    }
    if (fine) value += fine.accumulate(x, options.width, options.height, options.periodic, gradient, fineWeight);
    return { value, gradient };
  };

  return { evaluate, tiles: geometry[0].tiles.length, dispose: disposeAll };

  async function sampleGrams(net: Vgg19, s: RgbFloatImage): Promise<GramTarget[]> {
    const geo = levelGeometry(s.width, s.height, 1, tileSide, false)[0];
    let sums: tf.Tensor2D[] = [];
    for (const tile of geo.tiles) sums = addTileGramSums(net, s.rgb, geo, tile, sums);
    const grams = sums.map((sum, i) => tf.tidy(() => tf.div(sum, geo.positions[i]) as tf.Tensor2D));
    tf.dispose(sums);
    // The layers' mean squares in one read (on a GPU each read waits for the queue to drain).
    const stacked = tf.tidy(() => tf.stack(grams.map((gram) => tf.mean(tf.square(gram)))));
    try {
      const meanSquares = await stacked.data();
      return grams.map((gram, i) => ({ gram, meanSquare: Math.max(meanSquares[i], 1e-12) }));
    } catch (error) {
      tf.dispose(grams);
      throw error;
    } finally {
      stacked.dispose();
    }
  }

  async function sampleSortedProjections(net: Vgg19, s: RgbFloatImage, dirs: tf.Tensor2D[], rnd: () => number): Promise<SwdTarget[]> {
    const geo = levelGeometry(s.width, s.height, 1, tileSide, false)[0];
    // Every position up to SWD_TARGET_POSITIONS per layer, a seeded random subset beyond (as many on average).
    const keep = geo.positions.map((n) => Math.min(1, SWD_TARGET_POSITIONS / n));
    const capacity = geo.positions.map((n, i) => Math.min(n, Math.ceil(SWD_TARGET_POSITIONS * 1.1) + 1024) * dirs[i].shape[1]);
    const rows: Float32Array[] = capacity.map((c) => new Float32Array(c)); // kept projections, [position, K]
    const kept = TEXTURE_LAYERS.map(() => 0);
    for (const tile of geo.tiles) {
      const input = tileTensor(s.rgb, geo, tile);
      // The tile's projections of every layer, joined for one read.
      const shapes: Array<[number, number]> = [];
      const joined = tf.tidy(() => {
        const features = net.features(input, TEXTURE_LAYERS);
        const projections = TEXTURE_LAYERS.map((layer, i) => tf.matMul(ownedSlice(features[layer], tile, geo, POOL_LEVEL[i]), dirs[i]) as tf.Tensor2D);
        projections.forEach((p) => shapes.push(p.shape));
        return tf.concat(projections.map((p) => tf.reshape(p, [-1])));
      });
      input.dispose();
      let all: Float32Array;
      try {
        all = (await joined.data()) as Float32Array;
      } finally {
        joined.dispose();
      }
      let start = 0;
      shapes.forEach(([n, k], i) => {
        const values = all.subarray(start, start + n * k);
        start += n * k;
        for (let r = 0; r < n; r++) {
          if (keep[i] < 1 && rnd() >= keep[i]) continue;
          if ((kept[i] + 1) * k > rows[i].length) break; // the random subset overshot its capacity: enough
          rows[i].set(values.subarray(r * k, (r + 1) * k), kept[i] * k);
          kept[i]++;
        }
      });
    }
    return rows.map((all, i) => {
      const k = dirs[i].shape[1];
      const quantiles = kept[i];
      const sorted = new Float32Array(k * quantiles);
      const column = new Float32Array(quantiles);
      let sumSquares = 0;
      for (let c = 0; c < k; c++) {
        for (let r = 0; r < quantiles; r++) column[r] = all[r * k + c];
        column.sort().reverse();
        sorted.set(column, c * quantiles);
        for (let r = 0; r < quantiles; r++) sumSquares += column[r] * column[r];
      }
      return { directions: dirs[i], directionsT: directionsT[i], sorted, quantiles, meanSquare: Math.max(sumSquares / sorted.length, 1e-12), byCount: new Map() };
    });
  }

}

/** The sample's sorted projections resampled (linear interpolation of quantiles) to n positions. Cached. */
function targetForCount(t: SwdTarget, n: number): tf.Tensor2D {
  let cached = t.byCount.get(n);
  if (!cached) {
    const k = t.sorted.length / t.quantiles;
    const out = new Float32Array(k * n);
    const q = t.quantiles;
    for (let i = 0; i < n; i++) {
      const s = Math.min(q - 1, Math.max(0, ((i + 0.5) * q) / n - 0.5));
      const j = Math.floor(s);
      const f = s - j;
      const j1 = Math.min(q - 1, j + 1);
      for (let c = 0; c < k; c++) out[c * n + i] = (1 - f) * t.sorted[c * q + j] + f * t.sorted[c * q + j1];
    }
    cached = tf.keep(tf.tensor2d(out, [k, n]));
    t.byCount.set(n, cached);
  }
  return cached;
}

/** The owned block of a tile's feature map at a pool level, as an [N, C] matrix. */
/**
 * One tile's share of the Gram sums: its owned features' FᵀF added to `sums` (disposed; empty for the first tile).
 * The tiled Gram of the output (each evaluation) and of the sample (once) both accumulate tile by tile this way.
 */
function addTileGramSums(net: Vgg19, image: Float32Array, geo: LevelGeometry, tile: FeatureTile, sums: tf.Tensor2D[]): tf.Tensor2D[] {
  const input = tileTensor(image, geo, tile);
  const next = tf.tidy(() => {
    const features = net.features(input, TEXTURE_LAYERS);
    return TEXTURE_LAYERS.map((layer, i) => {
      const part = gramSum(ownedSlice(features[layer], tile, geo, POOL_LEVEL[i]));
      return sums.length ? (tf.add(sums[i], part) as tf.Tensor2D) : part;
    });
  });
  input.dispose();
  tf.dispose(sums);
  return next;
}

function ownedSlice(features: tf.Tensor4D, tile: FeatureTile, geo: LevelGeometry, poolLevel: number): tf.Tensor2D {
  const ox = ownedFeatures(tile.x, geo.width, poolLevel, geo.valid);
  const oy = ownedFeatures(tile.y, geo.height, poolLevel, geo.valid);
  const channels = features.shape[3];
  return tf.reshape(tf.slice(features, [0, oy.offset, ox.offset, 0], [1, oy.count, ox.count, channels]), [oy.count * ox.count, channels]);
}

function tileTensor(image: Float32Array, geo: Pick<LevelGeometry, 'width' | 'height'>, tile: FeatureTile): tf.Tensor4D {
  return tf.tensor4d(gatherTile(image, geo.width, geo.height, tile), [1, tile.y.inLength, tile.x.inLength, 3]);
}

function levelGeometry(width: number, height: number, levels: number, tileSide: number, periodic: boolean): LevelGeometry[] {
  const out: LevelGeometry[] = [];
  let w = width;
  let h = height;
  for (let level = 0; level < levels; level++) {
    let x: AxisResample | undefined;
    let y: AxisResample | undefined;
    if (level > 0) {
      const nw = Math.max(1, Math.round(w / 2));
      const nh = Math.max(1, Math.round(h / 2));
      x = axisResample(w, nw, periodic);
      y = axisResample(h, nh, periodic);
      w = nw;
      h = nh;
    }
    const valid = !periodic;
    const positions = POOL_LEVEL.map((k) => {
      const rx = axisFeatureRange(w, k, valid);
      const ry = axisFeatureRange(h, k, valid);
      return (rx.end - rx.start) * (ry.end - ry.start);
    });
    out.push({ width: w, height: h, x, y, tiles: planFeatureTiles(w, h, tileSide, periodic), valid, positions });
  }
  return out;
}

/** The sample and its area-halved copies (bounded, not periodic: a sample is a photograph's crop). */
function samplePyramid(sample: RgbFloatImage, levels: number): RgbFloatImage[] {
  const out = [sample];
  for (let level = 1; level < levels; level++) {
    const prev = out[level - 1];
    const w = Math.max(1, Math.round(prev.width / 2));
    const h = Math.max(1, Math.round(prev.height / 2));
    out.push({ width: w, height: h, rgb: resample(prev.rgb, 3, axisResample(prev.width, w, false), axisResample(prev.height, h, false)) });
  }
  return out;
}

/** Channels of relu1_1, relu2_1, relu3_1 (64, 128, 256 for VGG19), read from a tiny forward pass. */
function channelCounts(vgg: Vgg19): number[] {
  return tf.tidy(() => {
    const features = vgg.features(tf.zeros([1, 4, 4, 3]) as tf.Tensor4D, TEXTURE_LAYERS);
    return TEXTURE_LAYERS.map((layer) => features[layer].shape[3]);
  });
}

/** K random unit directions in C dimensions, as the columns of a [C, K] matrix. */
function randomDirections(channels: number, count: number, random: () => number): tf.Tensor2D {
  const m = new Float32Array(channels * count);
  for (let k = 0; k < count; k++) {
    let norm = 0;
    for (let c = 0; c < channels; c++) {
      const v = gaussian(random);
      m[c * count + k] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let c = 0; c < channels; c++) m[c * count + k] /= norm;
  }
  return tf.tensor2d(m, [channels, count]);
}

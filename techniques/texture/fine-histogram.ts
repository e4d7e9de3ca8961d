// A pixel-scale term for neural texture synthesis: the 1-D Wasserstein distance between the output's and the
// sample's responses to the 2x2 checkerboard filter on luminance ((a − b − c + d) / 2 over each 2x2 block): the
// finest pattern a pixel grid can hold.
//
// Why: VGG19's max-pools pass on only the largest of each 2x2 block, so the features past them (relu2_1, relu3_1)
// can be fed fine grain by a 2-px checkerboard as well as by the sample's real detail, and relu1_1's Gram entries,
// dominated by the large low-frequency responses, barely notice it. From noise, L-BFGS takes that shortcut: brick
// filled at 256 px (40 steps) had a mean |checkerboard response| 9.8x the sample's (the bundled 512 px sample; 4.2x
// against the sample reduced to 256 px), seen as a fine grey hatching beside the mortar lines. Matching the
// response's distribution (sorted values against the sample's quantiles, as the colour histogram does) leaves the
// sample's own amount of such detail, where it falls: with this term (weight in texture-objective.ts) 1.09x (1.07x),
// clean mortar lines, the same Gram distance to the sample (0.0040 against 0.0041; 0.0031 both).
//
// Computed in JavaScript on the whole image (one sort, O(N log N)), with its gradient. Periodic outputs wrap
// around; the sample (and a bounded output) count only the blocks inside the image.
import type { RgbFloatImage } from './pixels';
import { lowerBound, quantiles } from './sorted-values';

/** Luminance as the mean of R, G and B: the filter sees brightness only. */
const LUMA = 1 / 3;

export interface FineHistogram {
  /**
   * The value, mean over blocks of (response − target at its rank)² divided by the sample's response variance,
   * times `weight`; adds the same times its gradient to `gradient` (in place: at 4096 px a separate gradient
   * would be another 200 MB).
   */
  accumulate(x: Float32Array, width: number, height: number, periodic: boolean, gradient: Float32Array, weight: number): number;
}

export function createFineHistogram(sample: RgbFloatImage): FineHistogram {
  const sorted = responses(sample.rgb, sample.width, sample.height, false).sort();
  let mean = 0;
  for (const v of sorted) mean += v;
  mean /= Math.max(1, sorted.length);
  let variance = 0;
  for (const v of sorted) variance += (v - mean) ** 2;
  variance = Math.max(variance / Math.max(1, sorted.length), 1e-8);
  let cached: { n: number; targets: Float32Array } | null = null;
  const targetsFor = (n: number) => {
    if (cached?.n !== n) cached = { n, targets: quantiles(sorted, n) };
    return cached.targets;
  };

  return {
    accumulate(x, width, height, periodic, gradient, weight) {
      const r = responses(x, width, height, periodic);
      const n = r.length;
      if (n === 0) return 0;
      const target = targetsFor(n);
      const order = Float32Array.from(r).sort();
      const scale = weight / (n * variance);
      const bw = periodic ? width : width - 1;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const d = r[i] - target[lowerBound(order, r[i])];
        sum += d * d;
        // ∂/∂pixel of (a − b − c + d) / 2, spread over the block's four pixels and three channels.
        const g = ((2 * d * scale) / 2) * LUMA;
        const bx = i % bw;
        const by = (i - bx) / bw;
        const x1 = (bx + 1) % width;
        const y1 = (by + 1) % height;
        addRgb(gradient, (by * width + bx) * 3, g);
        addRgb(gradient, (by * width + x1) * 3, -g);
        addRgb(gradient, (y1 * width + bx) * 3, -g);
        addRgb(gradient, (y1 * width + x1) * 3, g);
      }
      return sum * scale;
    },
  };
}

/** The checkerboard response of every 2x2 block (row-major over the blocks' top-left corners). */
function responses(rgb: Float32Array, width: number, height: number, periodic: boolean): Float32Array {
  const bw = periodic ? width : width - 1;
  const bh = periodic ? height : height - 1;
  const out = new Float32Array(Math.max(0, bw) * Math.max(0, bh));
  const luma = (x: number, y: number) => {
    const p = (y * width + x) * 3;
    return (rgb[p] + rgb[p + 1] + rgb[p + 2]) * LUMA;
  };
  for (let y = 0; y < bh; y++) {
    const y1 = (y + 1) % height;
    for (let x = 0; x < bw; x++) {
      const x1 = (x + 1) % width;
      out[y * bw + x] = (luma(x, y) - luma(x1, y) - luma(x, y1) + luma(x1, y1)) / 2;
    }
  }
  return out;
}

function addRgb(gradient: Float32Array, at: number, g: number): void {
  gradient[at] += g;
  gradient[at + 1] += g;
  gradient[at + 2] += g;
}

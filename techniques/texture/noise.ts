// The starting image of neural texture synthesis: the sample's mean colour plus Gaussian noise with the sample's
// colour covariance (x = μ + L·z, L the Cholesky factor of the 3x3 RGB covariance). A grey sample gives grey noise,
// a sepia one sepia noise: the optimizer spends no steps removing colours the sample never had. Seeded (JS
// generator, not TF.js's), so the same seed gives the same start on every backend.
import { type Random } from '../random';

/** Mean and 3x3 covariance (row-major) of the RGB values of an interleaved image. */
export function colourMoments(rgb: Float32Array): { mean: number[]; covariance: number[] } {
  const count = rgb.length / 3;
  const mean = [0, 0, 0];
  for (let p = 0; p < count; p++) for (let c = 0; c < 3; c++) mean[c] += rgb[p * 3 + c];
  for (let c = 0; c < 3; c++) mean[c] /= count;
  const covariance = new Array<number>(9).fill(0);
  for (let p = 0; p < count; p++) {
    for (let a = 0; a < 3; a++) {
      const da = rgb[p * 3 + a] - mean[a];
      for (let b = a; b < 3; b++) covariance[a * 3 + b] += da * (rgb[p * 3 + b] - mean[b]);
    }
  }
  for (let a = 0; a < 3; a++) {
    for (let b = a; b < 3; b++) {
      covariance[a * 3 + b] /= count;
      covariance[b * 3 + a] = covariance[a * 3 + b];
    }
  }
  return { mean, covariance };
}

function cholesky3(m: number[]): number[] {
  const l = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * 3 + j];
      for (let k = 0; k < j; k++) sum -= l[i * 3 + k] * l[j * 3 + k];
      l[i * 3 + j] = i === j ? Math.sqrt(Math.max(sum, 0)) : l[j * 3 + j] > 1e-6 ? sum / l[j * 3 + j] : 0;
    }
  }
  return l;
}

/** A standard normal draw (Box-Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random(); // (0, 1]: log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** width x height of noise with the sample's mean colour and colour covariance, clipped to 0..1. */
export function meanColouredNoise(sampleRgb: Float32Array, width: number, height: number, random: Random): Float32Array {
  const { mean, covariance } = colourMoments(sampleRgb);
  const l = cholesky3(covariance);
  const out = new Float32Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const z0 = gaussian(random);
    const z1 = gaussian(random);
    const z2 = gaussian(random);
    for (let c = 0; c < 3; c++) {
      const v = mean[c] + l[c * 3] * z0 + l[c * 3 + 1] * z1 + l[c * 3 + 2] * z2;
      out[p * 3 + c] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

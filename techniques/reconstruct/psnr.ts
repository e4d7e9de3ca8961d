// Peak signal-to-noise ratio between two RgbaImages of one size, over RGB (alpha ignored): how close an inversion
// came to its source, in dB (20 dB ≈ an RMS error of 10% of the range; identical images give Infinity).
import type { RgbaImage } from '../image';

export function psnr(a: RgbaImage, b: RgbaImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError(`psnr: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let sum = 0;
  const count = a.width * a.height;
  for (let p = 0; p < count; p++) {
    for (let c = 0; c < 3; c++) {
      const d = a.data[p * 4 + c] - b.data[p * 4 + c];
      sum += d * d;
    }
  }
  const mse = sum / (count * 3);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

// The square view an embedding sees. Decision: scale so the SHORTER side is `size`, then CENTRE-CROP to a square
// (not pad). MobileNetV2 was trained on crops that fill its frame; padded bars add two hard edges and a flat area
// that every wide image then shares, pulling unrelated wide images together, whereas cropping only loses the far
// sides of very wide images (the subject is usually central). Downscaling is area-like (triangle filter widened,
// premultiplied alpha: see style/fast-resample.ts), and transparent pixels are composited over white, which is
// what a designer sees on the canvas.
import { centreSquare, type RgbaImage } from '../image';
import { resampleToPlanes } from '../style/fast-resample';

/** RGB floats 0..1, size × size × 3 row-major: the centre square of `image` scaled to `size`. */
export function squareView(image: RgbaImage, size: number): Float32Array {
  if (!(image.width >= 1 && image.height >= 1)) throw new RangeError('squareView: empty image');
  // Cropped first, then scaled: memory is the square's, never the whole image's at the view's scale.
  const planes = resampleToPlanes(centreSquare(image), size, size);
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = y * size + x;
      const a = planes.alpha[p] / 255;
      for (let c = 0; c < 3; c++) out[(y * size + x) * 3 + c] = (planes.rgb[p * 3 + c] / 255) * a + (1 - a);
    }
  }
  return out;
}

// Images laid out in rows (contact sheets: filter responses, channel previews, a layer sweep), and one image above
// another. Plain pixels, no TF.js.
import { createRgbaImage, type RgbaImage } from './image';

/** Copies `image` into `target` at (x0, y0) (no blending; the caller keeps it inside). */
function blit(target: RgbaImage, image: RgbaImage, x0: number, y0: number): void {
  for (let y = 0; y < image.height; y++) target.data.set(image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4), ((y0 + y) * target.width + x0) * 4);
}

/** `images` in rows of `columns`, `gap` px apart and around, cells as large as the largest image, on `background`. */
export function imageGrid(images: readonly RgbaImage[], columns: number, gap: number, background: readonly [number, number, number, number] = [255, 255, 255, 255]): RgbaImage {
  const cellW = Math.max(...images.map((i) => i.width));
  const cellH = Math.max(...images.map((i) => i.height));
  const cols = Math.max(1, Math.min(columns, images.length));
  const rows = Math.ceil(images.length / cols);
  const out = createRgbaImage(gap + cols * (cellW + gap), gap + rows * (cellH + gap));
  for (let p = 0; p < out.width * out.height; p++) out.data.set(background, p * 4);
  images.forEach((image, i) => blit(out, image, gap + (i % cols) * (cellW + gap), gap + Math.floor(i / cols) * (cellH + gap)));
  return out;
}

/** `top` above `bottom`, left-aligned, as wide as the wider, on `background`. */
export function stackVertically(top: RgbaImage, bottom: RgbaImage, background: readonly [number, number, number, number] = [255, 255, 255, 255]): RgbaImage {
  const out = createRgbaImage(Math.max(top.width, bottom.width), top.height + bottom.height);
  for (let p = 0; p < out.width * out.height; p++) out.data.set(background, p * 4);
  blit(out, top, 0, 0);
  blit(out, bottom, 0, top.height);
  return out;
}

/** `image` centred in a width × height image of `background` (it must fit). */
export function centreIn(image: RgbaImage, width: number, height: number, background: readonly [number, number, number, number] = [255, 255, 255, 255]): RgbaImage {
  if (image.width > width || image.height > height) throw new RangeError(`centreIn: ${image.width}x${image.height} does not fit ${width}x${height}`);
  if (image.width === width && image.height === height) return image;
  const out = createRgbaImage(width, height);
  for (let p = 0; p < width * height; p++) out.data.set(background, p * 4);
  blit(out, image, Math.floor((width - image.width) / 2), Math.floor((height - image.height) / 2));
  return out;
}

// The t-SNE grid as one picture (the CLI's map.png; the plugin builds a frame of layer copies instead): each image
// scaled into its frame (frames.ts) with the area-like, alpha-aware resampler of the style path, and drawn "over"
// the background, so a transparent layer shows the background through it rather than black. Plain pixels, no TF.js.
import { createRgbaImage, type RgbaImage } from '../image';
import { resampleToPlanes, type RgbAlphaPlanes } from '../style/fast-resample';
import { gridFrames, type FrameLayout } from './frames';

/** Straight RGBA, 0..255 each. */
export type Rgba = readonly [number, number, number, number];

export const WHITE: Rgba = [255, 255, 255, 255];
export const TRANSPARENT: Rgba = [0, 0, 0, 0];

function planesToImage(planes: RgbAlphaPlanes): RgbaImage {
  const data = new Uint8ClampedArray(planes.width * planes.height * 4);
  for (let p = 0; p < planes.width * planes.height; p++) {
    data[p * 4] = planes.rgb[p * 3];
    data[p * 4 + 1] = planes.rgb[p * 3 + 1];
    data[p * 4 + 2] = planes.rgb[p * 3 + 2];
    data[p * 4 + 3] = planes.alpha[p];
  }
  return createRgbaImage(planes.width, planes.height, data);
}

/** `image` scaled to fit a `cellSize` square exactly as gridFrames sizes its frame: a small copy to keep when the
 *  full image need not stay in memory until the grid is known. */
export function fitToCell(image: RgbaImage, cellSize: number): RgbaImage {
  const [frame] = gridFrames([{ col: 0, row: 0 }], [image], { cellSize, gap: 0 }).frames;
  return planesToImage(resampleToPlanes(image, frame.width, frame.height));
}

/** Straight-alpha "over" of planes' pixel `p` onto `out` at byte offset `o`. */
function drawOver(out: Uint8ClampedArray, o: number, planes: RgbAlphaPlanes, p: number): void {
  const a = planes.alpha[p] / 255;
  const below = (out[o + 3] / 255) * (1 - a);
  const alpha = a + below;
  if (alpha === 0) return;
  for (let c = 0; c < 3; c++) out[o + c] = Math.round((planes.rgb[p * 3 + c] * a + out[o + c] * below) / alpha);
  out[o + 3] = Math.round(alpha * 255);
}

/** One image of `layout.width` × `layout.height`: `background` everywhere, each image drawn into its frame. */
export function composeFrames(images: readonly RgbaImage[], layout: FrameLayout, background: Rgba = WHITE): RgbaImage {
  if (images.length !== layout.frames.length) throw new RangeError(`composeFrames: ${images.length} images for ${layout.frames.length} frames`);
  const out = createRgbaImage(layout.width, layout.height);
  for (let p = 0; p < layout.width * layout.height; p++) out.data.set(background, p * 4);
  layout.frames.forEach((frame, i) => {
    const planes = resampleToPlanes(images[i], frame.width, frame.height);
    for (let y = 0; y < frame.height; y++) {
      for (let x = 0; x < frame.width; x++) drawOver(out.data, ((frame.y + y) * layout.width + frame.x + x) * 4, planes, y * frame.width + x);
    }
  });
  return out;
}

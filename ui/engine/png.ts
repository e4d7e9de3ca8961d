// Image bytes (PNG, or JPEG for bundled presets) <-> RgbaImage in a browser (window or worker), with the
// browser's own codecs.
import { createRgbaImage, type RgbaImage } from '../../techniques/image';
import { PasticheError } from '../../techniques/errors';

export async function decodePng(bytes: Uint8Array): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    // No colour conversion and no premultiplication: we want the exported sRGB values as they are.
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new PasticheError('bad-input', 'The layer could not be read as an image.');
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  return createRgbaImage(pixels.width, pixels.height, pixels.data);
}

export async function encodePng(image: RgbaImage, region = { x: 0, y: 0, width: image.width, height: image.height }): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(region.width, region.height);
  const context = canvas.getContext('2d')!;
  const imageData = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
  context.putImageData(imageData, -region.x, -region.y, region.x, region.y, region.width, region.height);
  return canvasPng(canvas);
}

/**
 * The canvas's pixels as PNG bytes. On a window's thread Chromium encodes in an idle period and waits up to 1 s for
 * one; a page that draws nothing may not get one (measured in headless Chromium: every encode took 1.0 s), so a frame
 * is asked for, after which an idle period follows. A worker encodes at once.
 */
export async function canvasPng(canvas: OffscreenCanvas): Promise<Uint8Array> {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => {});
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

// The layers the playground starts with: the bundled content photos and a texture, verified by the setup step.
import type { RgbaImage } from '../techniques/image';

// One column, so results (placed beside their source by default) have room on the right.
export const DEFAULT_LAYERS = [
  { name: 'Chelsea', url: '/images/content/chelsea.png', x: 0, y: 0, width: 451, height: 300 },
  { name: 'Coffee', url: '/images/content/coffee.png', x: 0, y: 340, width: 300, height: 200 },
  { name: 'Astronaut', url: '/images/content/astronaut.png', x: 0, y: 580, width: 256, height: 256 },
  { name: 'Brick', url: '/images/textures/brick.png', x: 0, y: 876, width: 128, height: 128 },
];

export async function loadRgba(url: string): Promise<RgbaImage> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status} (run npm run models)`);
  const bitmap = await createImageBitmap(await response.blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width, height, data };
}

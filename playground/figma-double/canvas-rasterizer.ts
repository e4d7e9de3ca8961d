// DOM-only rasterizer (browser playground): paints the render plan on an OffscreenCanvas (or a <canvas> where there
// is none) and encodes it as PNG with the browser's own encoder. Never imported by Node code.
import type { Rasterizer } from './figma-types';
import { exportPixelSize, renderPlan, type PaintSource } from './render-plan';

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function makeCanvas(width: number, height: number): { ctx: Canvas2D; toPng(): Promise<Blob> } {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('figma double: no 2D context on OffscreenCanvas');
    return { ctx, toPng: () => canvas.convertToBlob({ type: 'image/png' }) };
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('figma double: no 2D context on canvas');
  return {
    ctx,
    toPng: () => new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/png')),
  };
}

async function toBitmap(source: Exclude<PaintSource, { kind: 'solid' }>): Promise<ImageBitmap> {
  if (source.kind === 'png') return createImageBitmap(new Blob([source.bytes.slice()], { type: 'image/png' }));
  const { width, height, data } = source.image;
  return createImageBitmap(new ImageData(new Uint8ClampedArray(data), width, height));
}

export function createCanvasRasterizer(): Rasterizer {
  return {
    async exportPng(node, scale) {
      const size = exportPixelSize(node, scale);
      const { ctx, toPng } = makeCanvas(size.width, size.height);
      ctx.imageSmoothingQuality = 'high';
      for (const box of renderPlan(node)) {
        const [x, y, w, h] = [box.x * scale, box.y * scale, box.width * scale, box.height * scale];
        if (box.source.kind === 'solid') {
          const { r, g, b, a } = box.source;
          ctx.fillStyle = `rgba(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}, ${a})`;
          ctx.fillRect(x, y, w, h);
        } else {
          const bitmap = await toBitmap(box.source);
          ctx.drawImage(bitmap, x, y, w, h);
          bitmap.close();
        }
      }
      return new Uint8Array(await (await toPng()).arrayBuffer());
    },
  };
}

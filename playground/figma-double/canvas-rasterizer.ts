// DOM-only rasterizer (browser playground): paints the render plan on an OffscreenCanvas (or a <canvas> where there
// is none), each box in its node's own units (rotated, clipped to an ellipse, TILE paints as a repeating pattern),
// and encodes it as PNG with the browser's own encoder. Never imported by Node code.
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
        const [[a, c, e], [b, d, f]] = box.transform;
        ctx.save();
        // The node's own units: (0, 0, width, height) is its box, whatever its rotation.
        ctx.setTransform(a * scale, b * scale, c * scale, d * scale, e * scale, f * scale);
        ctx.beginPath();
        if (box.shape === 'ellipse') ctx.ellipse(box.width / 2, box.height / 2, box.width / 2, box.height / 2, 0, 0, 2 * Math.PI);
        else ctx.rect(0, 0, box.width, box.height);
        if (!box.text) ctx.clip(); // glyphs may run past the double's estimated text box

        if (box.source.kind === 'solid') {
          const { r, g, b: blue, a: alpha } = box.source;
          ctx.fillStyle = `rgba(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(blue * 255)}, ${alpha})`;
          if (box.text) {
            ctx.font = `${box.text.fontSize}px Inter, system-ui, sans-serif`;
            ctx.textBaseline = 'top';
            ctx.fillText(box.text.characters, 0, box.text.fontSize * 0.1);
          } else ctx.fillRect(0, 0, box.width, box.height);
        } else {
          const bitmap = await toBitmap(box.source);
          if (box.tile) {
            // TILE: the image repeated, one copy being tile.width x tile.height units.
            const pattern = ctx.createPattern(bitmap, 'repeat');
            if (pattern) {
              pattern.setTransform(new DOMMatrix().scale(box.tile.width / bitmap.width, box.tile.height / bitmap.height));
              ctx.fillStyle = pattern;
              ctx.fillRect(0, 0, box.width, box.height);
            }
          } else ctx.drawImage(bitmap, 0, 0, box.width, box.height);
          bitmap.close();
        }
        ctx.restore();
      }
      return new Uint8Array(await (await toPng()).arrayBuffer());
    },
  };
}

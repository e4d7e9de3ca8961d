// Node-only rasterizer (unit tests): paints the render plan with nearest-neighbour sampling (rotation, ellipses and
// TILE paints by mapping each pixel back into the node) and encodes with pngjs.
// Kept out of index.ts so that a browser bundle never pulls pngjs in.
import { PNG } from 'pngjs';
import type { Rasterizer, RgbaImage } from './figma-types';
import { exportPixelSize, renderPlan, type PaintBox, type PaintSource } from './render-plan';
import { apply, boundsOf, invert, isTranslation, multiply } from './transform';

function decodePng(bytes: Uint8Array): RgbaImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length) };
}

/** Straight-alpha "source over" of one pixel. */
function blend(out: Uint8Array, o: number, r: number, g: number, b: number, a: number): void {
  if (a <= 0) return;
  const da = out[o + 3] / 255;
  const sa = a / 255;
  const oa = sa + da * (1 - sa);
  out[o] = Math.round((r * sa + out[o] * da * (1 - sa)) / oa);
  out[o + 1] = Math.round((g * sa + out[o + 1] * da * (1 - sa)) / oa);
  out[o + 2] = Math.round((b * sa + out[o + 2] * da * (1 - sa)) / oa);
  out[o + 3] = Math.round(oa * 255);
}

export function encodePng(image: RgbaImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  // Fast settings: test images are big and simple; size does not matter here.
  const bytes = PNG.sync.write(png, { deflateLevel: 1, filterType: 0 });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** One pixel of `image` (or the solid colour) blended into `out` at byte offset `o`. */
function put(out: Uint8Array, o: number, source: PaintSource, image: RgbaImage | null, column: number, row: number): void {
  if (!image) {
    const s = source as Extract<PaintSource, { kind: 'solid' }>;
    blend(out, o, s.r * 255, s.g * 255, s.b * 255, s.a * 255);
    return;
  }
  const i = (row * image.width + column) * 4;
  const a = image.data[i + 3];
  if (a === 255 || out[o + 3] === 0) {
    // Opaque source or empty destination: a copy (the common case, and much faster than blending).
    out[o] = image.data[i];
    out[o + 1] = image.data[i + 1];
    out[o + 2] = image.data[i + 2];
    out[o + 3] = a;
  } else blend(out, o, image.data[i], image.data[i + 1], image.data[i + 2], a);
}

/** An unrotated box stretched over its area (the common case): source columns computed once per box. */
function paintAxisAligned(out: Uint8Array, size: { width: number; height: number }, box: PaintBox, scale: number, image: RgbaImage | null): void {
  const x0 = Math.max(0, Math.round(box.x * scale));
  const y0 = Math.max(0, Math.round(box.y * scale));
  const x1 = Math.min(size.width, Math.round((box.x + box.width) * scale));
  const y1 = Math.min(size.height, Math.round((box.y + box.height) * scale));
  const dw = Math.max(1, Math.round(box.width * scale));
  const dh = Math.max(1, Math.round(box.height * scale));
  const bx = Math.round(box.x * scale);
  const by = Math.round(box.y * scale);
  const columns = new Int32Array(Math.max(0, x1 - x0));
  if (image) for (let x = x0; x < x1; x++) columns[x - x0] = Math.min(image.width - 1, Math.floor(((x - bx + 0.5) * image.width) / dw));
  for (let y = y0; y < y1; y++) {
    const sy = image ? Math.min(image.height - 1, Math.floor(((y - by + 0.5) * image.height) / dh)) : 0;
    for (let x = x0; x < x1; x++) put(out, (y * size.width + x) * 4, box.source, image, columns[x - x0], sy);
  }
}

/** Any box: each output pixel's centre is mapped back into the node's own units (rotation, ellipse, tiling). */
function paintGeneral(out: Uint8Array, size: { width: number; height: number }, box: PaintBox, scale: number, image: RgbaImage | null): void {
  const toPixels = multiply([[scale, 0, 0], [0, scale, 0]], box.transform);
  const area = boundsOf(toPixels, box.width, box.height);
  const back = invert(toPixels);
  const x0 = Math.max(0, Math.floor(area.x));
  const y0 = Math.max(0, Math.floor(area.y));
  const x1 = Math.min(size.width, Math.ceil(area.x + area.width));
  const y1 = Math.min(size.height, Math.ceil(area.y + area.height));
  const { width: w, height: h } = box;
  const repeatW = box.tile?.width ?? w;
  const repeatH = box.tile?.height ?? h;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = apply(back, x + 0.5, y + 0.5);
      if (p.x < 0 || p.y < 0 || p.x >= w || p.y >= h) continue;
      if (box.shape === 'ellipse') {
        const dx = (p.x - w / 2) / (w / 2);
        const dy = (p.y - h / 2) / (h / 2);
        if (dx * dx + dy * dy > 1) continue;
      }
      let column = 0;
      let row = 0;
      if (image) {
        const u = box.tile ? p.x - Math.floor(p.x / repeatW) * repeatW : p.x;
        const v = box.tile ? p.y - Math.floor(p.y / repeatH) * repeatH : p.y;
        column = Math.min(image.width - 1, Math.floor((u * image.width) / repeatW));
        row = Math.min(image.height - 1, Math.floor((v * image.height) / repeatH));
      }
      put(out, (y * size.width + x) * 4, box.source, image, column, row);
    }
  }
}

export function createPngjsRasterizer(): Rasterizer {
  return {
    async exportPng(node, scale) {
      const size = exportPixelSize(node, scale);
      const out = new Uint8Array(size.width * size.height * 4);
      for (const box of renderPlan(node)) {
        if (box.text) continue; // no font here: text is left out of Node exports
        const source = box.source;
        const image = source.kind === 'rgba' ? source.image : source.kind === 'png' ? decodePng(source.bytes) : null;
        if (isTranslation(box.transform) && box.shape === 'box' && !box.tile) paintAxisAligned(out, size, box, scale, image);
        else paintGeneral(out, size, box, scale, image);
      }
      return encodePng({ width: size.width, height: size.height, data: new Uint8ClampedArray(out.buffer) });
    },
  };
}

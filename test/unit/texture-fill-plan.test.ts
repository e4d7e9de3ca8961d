// "Fill shape" on targets of any size (techniques/texture/fill-plan.ts): a tile is preselected exactly when one
// image would be larger than the direct limit; a fill made as one image over the limit says in its name that it
// was stretched; a tile is laid out as a TILE paint of `resolution` pixels per point.
import { createRgbaImage, type RgbaImage } from '../../techniques/image';
import { silentContext } from '../../techniques/job';
import { parseParams, resultLayerName } from '../../techniques/registry';
import { runTechnique } from '../../techniques/run-technique';
import { directFillSize, fillAsTile, fillOverLimit, fillPixelSide } from '../../techniques/texture/fill-plan';
import { MAX_FILL_SIDE, textureSpec } from '../../techniques/texture/spec';
import { textureSample } from '../support/texture-quality';

/** Validated parameters: a fill of the shape from the other selected layer, quick (no network). */
const params = (over: Record<string, unknown> = {}) => parseParams('texture', { make: 'fill', sample: 'layer', method: 'patch', ...over });

const blank = (width: number, height: number): RgbaImage => createRgbaImage(width, height, new Uint8ClampedArray(width * height * 4).fill(255));

test('over the limit = one image at this resolution would be larger than MAX_FILL_SIDE', () => {
  const shapes = [
    { width: 300, height: 200 },
    { width: 1500, height: 900 },
  ];
  expect(fillPixelSide(shapes, 1)).toBe(1500);
  expect(fillOverLimit(shapes, 1)).toBe(false);
  expect(fillOverLimit(shapes, 2)).toBe(true); // 3000 px at 2x
  expect(fillOverLimit([{ width: MAX_FILL_SIDE, height: 10 }], 1)).toBe(false);
  expect(fillOverLimit([{ width: 10, height: MAX_FILL_SIDE + 1 }], 1)).toBe(true);
  expect(fillOverLimit([], 2)).toBe(false);
});

test('the tile: the saved setting within the limit; over it, preselected unless turned off for this target', () => {
  expect(fillAsTile(false, false, undefined)).toBe(false);
  expect(fillAsTile(true, false, undefined)).toBe(true);
  expect(fillAsTile(false, false, true)).toBe(false); // a choice for a large target does not carry to a small one
  expect(fillAsTile(false, true, undefined)).toBe(true);
  expect(fillAsTile(true, true, false)).toBe(false);
});

test('a direct fill is capped at the limit and says when it was', () => {
  expect(directFillSize(600, 400, 2)).toEqual({ width: 1200, height: 800, fit: 1 });
  expect(directFillSize(3000, 1500, 1)).toEqual({ width: 2048, height: 1024, fit: 2048 / 3000 });
  expect(directFillSize(1500, 1000, 2)).toEqual({ width: 2048, height: 1365, fit: 2048 / 3000 });
});

test('layout and result size: a tile repeats at resolution px per point; one image is at most the limit', () => {
  expect(textureSpec.layout!(params({ tile: true, resolution: 2 }))).toEqual({ kind: 'fill-source', scaleMode: 'TILE', pixelsPerUnit: 2 });
  expect(textureSpec.layout!(params())).toEqual({ kind: 'fill-source', scaleMode: 'FILL' });
  expect(textureSpec.resultPixels!(params({ tile: true, tileSize: 512 }), 5000, 5000)).toBe(512 * 512);
  expect(textureSpec.resultPixels!(params(), 5000, 3000)).toBe(MAX_FILL_SIDE ** 2);
});

test('a run over the limit without a tile is named "stretched"; with a tile it makes the tile and is not', async () => {
  const reference = textureSample('gravel', 64);
  const wide = blank(3000, 40);
  const stretched = await runTechnique('texture', { source: wide, reference }, params(), silentContext());
  expect([stretched.width, stretched.height]).toEqual([2048, 27]);
  expect(stretched.facts?.detail).toBe('stretched from 2048×27 px');
  expect(resultLayerName('Wall', 'texture', params(), { ...stretched.facts, referenceName: 'Gravel' })).toBe('Wall — Texture (sample Gravel, quick, stretched from 2048×27 px)');
  const tiled = await runTechnique('texture', { source: wide, reference }, params({ tile: true, tileSize: 64 }), silentContext());
  expect([tiled.width, tiled.height]).toEqual([64, 64]);
  expect(tiled.facts?.detail).toBeUndefined();
  const small = await runTechnique('texture', { source: blank(100, 60), reference }, params({ resolution: 2 }), silentContext());
  expect([small.width, small.height, small.facts?.detail]).toEqual([200, 120, undefined]);
}, 60_000);

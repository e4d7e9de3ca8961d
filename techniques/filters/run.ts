// The Filters technique: the kernel sheet on top; with responses, the strongest channels' grey maps below it, in
// a grid of the sheet's width.
import { createRgbaImage, type RgbaImage } from '../image';
import type { Technique } from '../job';
import { featureNetworkOf } from '../reconstruct/run';
import { EXPLORE_MODELS } from '../reconstruct/models';
import { FIRST_CONV } from './first-conv';
import { filterSheet, readKernel } from './kernel-sheet';
import { firstLayerResponses } from './responses';
import type { FiltersParams } from './spec';

const GAP = 4;
const RESPONSE_SIDE = 96;

export const run: Technique<FiltersParams> = async ({ source }, p, context) => {
  const name = EXPLORE_MODELS[p.model];
  const network = await featureNetworkOf(p.model, context.networks);
  const kernel = (await context.networks.get(name)).firstConvKernel();
  const sheet = filterSheet(await readKernel(kernel), { inputOrder: FIRST_CONV[name].inputOrder, pixelSize: p.pixelSize, gap: GAP });
  context.onProgress({ fraction: 0.5, message: 'filters' });
  if (!p.responses) return sheet.image;
  const responses = await firstLayerResponses(network, source, { count: 16, size: RESPONSE_SIDE });
  context.onProgress({ fraction: 1, message: 'responses' });
  return stack(sheet.image, responses.map((r) => r.image));
};

/** `top`, then `tiles` in rows below it (as many per row as fit its width), on white. */
function stack(top: RgbaImage, tiles: RgbaImage[]): RgbaImage {
  const tileW = Math.max(...tiles.map((t) => t.width));
  const tileH = Math.max(...tiles.map((t) => t.height));
  const perRow = Math.max(1, Math.floor((Math.max(top.width, 4 * (tileW + GAP)) - GAP) / (tileW + GAP)));
  const width = Math.max(top.width, GAP + perRow * (tileW + GAP));
  const rows = Math.ceil(tiles.length / perRow);
  const height = top.height + GAP + rows * (tileH + GAP);
  const out = createRgbaImage(width, height, new Uint8ClampedArray(width * height * 4).fill(255));
  const blit = (image: RgbaImage, x0: number, y0: number) => {
    for (let y = 0; y < image.height; y++) out.data.set(image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4), ((y0 + y) * width + x0) * 4);
  };
  blit(top, 0, 0);
  tiles.forEach((tile, i) => blit(tile, GAP + (i % perRow) * (tileW + GAP), top.height + GAP + Math.floor(i / perRow) * (tileH + GAP)));
  return out;
}

// The Filters technique: the kernel sheet on top; with responses, the strongest channels' grey maps below it, in
// a grid of the sheet's width.
import { imageGrid, stackVertically } from '../image-grid';
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
  const tiles = responses.map((r) => r.image);
  const perRow = Math.max(1, Math.floor((sheet.image.width - GAP) / (Math.max(...tiles.map((t) => t.width)) + GAP)));
  return stackVertically(sheet.image, imageGrid(tiles, perRow, GAP));
};

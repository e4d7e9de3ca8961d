// The Filters technique: every first-layer kernel as a square cell (enlarged without smoothing), then, with
// responses, the strongest channels' grey maps fitted into cells of the same size; side by side in one row, each
// cell labelled (layout 'labelled-row' in rows of CELL_COLUMNS: the sandbox makes a labelled grid of them).
import { cropRgba, type RgbaImage } from '../image';
import { centreIn, imageGrid } from '../image-grid';
import { withFacts, type Technique } from '../job';
import { featureNetworkOf } from '../reconstruct/run';
import { EXPLORE_MODELS } from '../reconstruct/models';
import { FIRST_CONV } from './first-conv';
import { filterSheet, readKernel } from './kernel-sheet';
import { firstLayerResponses } from './responses';
import type { FiltersParams } from './spec';

const WHITE = [255, 255, 255, 255] as const;

export const run: Technique<FiltersParams> = async ({ source }, p, context) => {
  const name = EXPLORE_MODELS[p.model];
  const network = await featureNetworkOf(p.model, context.networks);
  const kernel = await readKernel((await context.networks.get(name)).firstConvKernel());
  // One row of kernels without gaps, cut into one cell per kernel.
  const [kh, kw, , count] = kernel.shape;
  const strip = filterSheet(kernel, { inputOrder: FIRST_CONV[name].inputOrder, pixelSize: p.pixelSize, gap: 0, columns: count });
  const side = Math.max(kh, kw) * p.pixelSize;
  const cells: RgbaImage[] = strip.cells.map((cell) => centreIn(cropRgba(strip.image, cell.x, cell.y, cell.width, cell.height), side, side, WHITE));
  const labels = strip.cells.map((cell) => `#${cell.index}`);
  context.onProgress({ fraction: 0.5, message: 'filters' });
  if (p.responses) {
    const responses = await firstLayerResponses(network, source, { count: 16, size: side });
    for (const response of responses) {
      cells.push(centreIn(response.image, side, side, WHITE));
      labels.push(`#${response.channel} on the image`);
    }
    context.onProgress({ fraction: 1, message: 'responses' });
  }
  return withFacts(imageGrid(cells, cells.length, 0), { cells: labels });
};

// First-layer filters: every kernel of a network's first convolution as a sheet of enlarged colour swatches, and
// optionally the strongest channel responses of that layer to the selected image.
import type * as v from 'valibot';
import { booleanParam, choiceParam, numberParam, paramsSchema } from '../params';
import { EXPLORE_MODEL_OPTIONS } from '../reconstruct/models';
import { defineTechnique } from '../technique-spec';

const filtersParams = paramsSchema({
  model: choiceParam({ label: 'Network', help: 'whose first layer to show', options: EXPLORE_MODEL_OPTIONS, default: 'vgg19' }),
  pixelSize: numberParam({ label: 'Zoom', help: 'screen pixels per kernel weight (no smoothing)', min: 2, max: 32, default: 24, integer: true, unit: 'px' }),
  responses: booleanParam({ label: 'Responses to the layer', help: "add the 16 strongest channels' responses to the selected image, in grey", default: true }),
});
export type FiltersParams = v.InferOutput<typeof filtersParams>;

export const filtersSpec = defineTechnique({
  id: 'filters',
  label: 'Filters',
  summary: "a network's first-layer filters, and their responses to an image",
  panel: 'explore',
  menuOrder: 2,
  maxInputSide: 512,
  params: filtersParams,
  describe: (p) => `${p.model} first layer${p.responses ? ' + responses' : ''}`,
  // 64 kernels + 16 responses at 3 × 32 px at most.
  resultPixels: (p) => 80 * (3 * p.pixelSize) ** 2,
  // A labelled grid, 8 cells a row: "#12" under each kernel, "#12 on the image" under each response.
  layout: () => ({ kind: 'labelled-row', columns: 8 }),
  cli: { usage: 'IMAGE -o filters.png [--model vgg19|mobilenet|darknet] [--no-responses]' },
  bench: { sizes: [224] },
});

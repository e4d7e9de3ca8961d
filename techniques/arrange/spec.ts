// Arrange by similarity (the lecture's t-SNE grid): the selected layers are embedded, mapped to 2-D by t-SNE and
// snapped to a grid without overlaps; the sandbox builds a new frame holding copies of them in that order.
import type * as v from 'valibot';
import { paramsSchema, seedParam } from '../params';
import { compareParam, describeCompare } from '../similar/compare';
import { defineTechnique } from '../technique-spec';

const arrangeParams = paramsSchema({
  compare: compareParam(),
  seed: seedParam("t-SNE's random start: the same seed, the same map", 1),
});
export type ArrangeParams = v.InferOutput<typeof arrangeParams>;

export const arrangeSpec = defineTechnique({
  id: 'arrange',
  label: 'Arrange by similarity',
  summary: 'a new frame with copies of the selected layers, laid out on a t-SNE grid: alike next to alike',
  panel: 'explore',
  menuOrder: 4,
  maxInputSide: 1024,
  params: arrangeParams,
  // The grid assignment is exact (O(n³)): 500 layers take seconds, thousands would not end in reasonable time.
  collection: { scope: 'selection', side: 224, minItems: 3, maxItems: 500 },
  describe: (p: ArrangeParams) => describeCompare(p.compare),
});

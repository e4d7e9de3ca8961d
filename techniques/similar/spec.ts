// Find similar: the selected layer is the query; every image layer of the page is embedded (MobileNetV2's 1280-d
// pooled features, or raw pixels) and ranked by cosine similarity; the sandbox selects the best `top` and the panel
// lists every match with its score.
import type * as v from 'valibot';
import { MAX_COLLECTION_ITEMS } from '../collection';
import { numberParam, paramsSchema } from '../params';
import { defineTechnique } from '../technique-spec';
import { compareParam, describeCompare } from './compare';

const similarParams = paramsSchema({
  compare: compareParam(),
  top: numberParam({ label: 'Select', help: 'how many of the most similar layers to select on the canvas', min: 1, max: 50, default: 5, integer: true, unit: 'layers' }),
});
export type SimilarParams = v.InferOutput<typeof similarParams>;

export const similarSpec = defineTechnique({
  id: 'similar',
  label: 'Find similar',
  summary: 'the image layers of the page most like the selected one, by what a network sees',
  panel: 'explore',
  menuOrder: 3,
  // The long side a layer is exported at, at most (the short side is `collection.side`).
  maxInputSide: 1024,
  params: similarParams,
  collection: { scope: 'page', side: 224, minItems: 1, maxItems: MAX_COLLECTION_ITEMS },
  describe: (p: SimilarParams) => `${describeCompare(p.compare)}, top ${p.top}`,
});

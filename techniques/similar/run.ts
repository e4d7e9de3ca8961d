// Find similar, as a collection technique: the query and every candidate embedded (through the session's cache),
// candidates ranked by cosine similarity to the query, most similar first.
import type { CollectionTechnique } from '../job';
import { PasticheError } from '../errors';
import { embedImages } from './embed-images';
import { embedderFor, sessionEmbeddingCache } from './embedder-for';
import { rankBySimilarity } from './rank';
import type { SimilarParams } from './spec';

export const runCollection: CollectionTechnique<SimilarParams> = async ({ query, items }, params, context) => {
  if (!query) throw new PasticheError('bad-selection', 'Select the one layer to find similar layers to.');
  const embedder = await embedderFor(params.compare, context);
  const [queryVector, ...vectors] = await embedImages(embedder, [query.image, ...items.map((item) => item.image)], context, { cache: sessionEmbeddingCache });
  const ranked = rankBySimilarity(queryVector, vectors).map(({ index, similarity }) => ({ id: items[index].id, score: similarity }));
  return { kind: 'ranking', ranked };
};

// Arrange by similarity, as a collection technique: the layers embedded (through the session's cache, 0–60% of the
// progress), mapped to 2-D by t-SNE (60–100%) and snapped to a grid, one layer per cell.
import type { CollectionTechnique } from '../job';
import { embedImages } from '../similar/embed-images';
import { embedderFor, sessionEmbeddingCache } from '../similar/embedder-for';
import { tsneGrid } from '../tsne/tsne-grid';
import type { ArrangeParams } from './spec';

export const runCollection: CollectionTechnique<ArrangeParams> = async ({ items }, params, context) => {
  const embedder = await embedderFor(params.compare, context);
  const vectors = await embedImages(embedder, items.map((item) => item.image), context, { cache: sessionEmbeddingCache, progressRange: [0, 0.6] });
  const grid = await tsneGrid(vectors, context, { seed: params.seed, progressRange: [0.6, 1] });
  return { kind: 'arrangement', cells: grid.items.map(({ col, row }, i) => ({ id: items[i].id, col, row })) };
};

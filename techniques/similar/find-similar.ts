// "Find similar": embed a query and candidates (through the cache) and rank the candidates by cosine similarity.
import type { RgbaImage } from '../image';
import type { JobContext } from '../job';
import { embedImages, type EmbedOptions } from './embed-images';
import type { Embedder } from './embedders';
import { rankBySimilarity, type Ranked } from './rank';

export async function findSimilar(
  embedder: Embedder,
  query: RgbaImage,
  candidates: readonly RgbaImage[],
  context: Pick<JobContext, 'signal' | 'onProgress'>,
  options: Pick<EmbedOptions, 'cache'> = {},
): Promise<Ranked[]> {
  const [q, ...rest] = await embedImages(embedder, [query, ...candidates], context, options);
  return rankBySimilarity(q, rest);
}

// The embedder a job's "Compare by" asks for, and the embedding cache of this host: it lives as long as the module
// (one per engine session, one per CLI run), so a second search over the same layers runs no network.
import type { JobContext } from '../job';
import type { Compare } from './compare';
import { createEmbeddingCache } from './embedding-cache';
import { mobileNetEmbedder, pixelEmbedder, type Embedder } from './embedders';

export const sessionEmbeddingCache = createEmbeddingCache();

export async function embedderFor(compare: Compare, context: Pick<JobContext, 'networks'>): Promise<Embedder> {
  return compare === 'pixels' ? pixelEmbedder() : mobileNetEmbedder(await context.networks.get('mobilenet_v2'));
}

// Ranking by cosine similarity: the nearest neighbours of a query among candidates, most similar first.
import { cosineSimilarity } from './vectors';

export interface Ranked {
  /** Index into the candidates. */
  index: number;
  similarity: number;
}

/** All candidates (minus `exclude`d indices, e.g. the query itself) sorted by cosine similarity to `query`,
 *  most similar first; ties keep candidate order. */
export function rankBySimilarity(query: Float32Array, candidates: readonly Float32Array[], exclude: readonly number[] = []): Ranked[] {
  const skip = new Set(exclude);
  const ranked: Ranked[] = [];
  candidates.forEach((c, index) => {
    if (!skip.has(index)) ranked.push({ index, similarity: cosineSimilarity(query, c) });
  });
  return ranked.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
}

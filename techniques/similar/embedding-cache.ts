// Embeddings by (embedding space, image hash), least recently used dropped first. Lives as long as its host (the
// engine keeps one per session), so re-running "find similar" or the t-SNE grid over the same layers is instant.

export interface EmbeddingCache {
  get(embedderId: string, hash: string): Float32Array | undefined;
  set(embedderId: string, hash: string, vector: Float32Array): void;
  readonly size: number;
  clear(): void;
}

/** 5000 entries of 1280 floats is ~25 MB. */
export function createEmbeddingCache(maxEntries = 5000): EmbeddingCache {
  const entries = new Map<string, Float32Array>();
  const key = (embedderId: string, hash: string) => `${embedderId}|${hash}`;
  return {
    get(embedderId, hash) {
      const k = key(embedderId, hash);
      const v = entries.get(k);
      if (v) {
        entries.delete(k); // refresh: Map keeps insertion order, the first key is the least recently used
        entries.set(k, v);
      }
      return v;
    },
    set(embedderId, hash, vector) {
      const k = key(embedderId, hash);
      entries.delete(k);
      entries.set(k, vector);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get size() {
      return entries.size;
    },
    clear: () => entries.clear(),
  };
}

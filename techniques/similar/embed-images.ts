// Embedding many images in one job (hundreds of layers for a t-SNE grid): cached vectors first, the rest in the
// embedder's batches, with progress and cancel between batches. The vectors come back in input order.
import { throwIfAborted } from '../errors';
import type { RgbaImage } from '../image';
import type { JobContext } from '../job';
import type { EmbeddingCache } from './embedding-cache';
import type { Embedder } from './embedders';
import { imageHash } from './image-hash';

export interface EmbedOptions {
  cache?: EmbeddingCache;
  /** The part of the job's progress bar this fills. */
  progressRange?: readonly [number, number];
}

export async function embedImages(embedder: Embedder, images: readonly RgbaImage[], context: Pick<JobContext, 'signal' | 'onProgress'>, options: EmbedOptions = {}): Promise<Float32Array[]> {
  const [from, to] = options.progressRange ?? [0, 1];
  const out: (Float32Array | undefined)[] = new Array(images.length);
  const hashes = images.map((image) => imageHash(image));
  const missing: number[] = [];
  hashes.forEach((hash, i) => {
    const cached = options.cache?.get(embedder.id, hash);
    if (cached) out[i] = cached;
    else missing.push(i);
  });
  const report = (done: number) =>
    context.onProgress({ fraction: from + ((to - from) * done) / Math.max(1, images.length), message: `embedding ${done} of ${images.length}` });
  let done = images.length - missing.length;
  report(done);
  const batchSize = Math.max(1, embedder.batchSize);
  for (let start = 0; start < missing.length; start += batchSize) {
    throwIfAborted(context.signal);
    const indices = missing.slice(start, start + batchSize);
    const vectors = await embedder.embed(indices.map((i) => images[i]));
    indices.forEach((i, k) => {
      out[i] = vectors[k];
      options.cache?.set(embedder.id, hashes[i], vectors[k]);
    });
    done += indices.length;
    report(done);
  }
  throwIfAborted(context.signal);
  return out as Float32Array[];
}

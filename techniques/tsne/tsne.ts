// t-SNE (van der Maaten & Hinton 2008) of embeddings to 2-D, with druidjs's TSNE (exact, O(n²) per iteration,
// WASM-accelerated from 16 rows), seeded so the same images give the same map. Perplexity adapts to the count:
// min(30, (n − 1) / 3), at least 1 (a perplexity near n would make every point everyone's neighbour). The loop
// yields to the event loop every few iterations so a cancel can arrive, and reports progress.
import { TSNE } from '@saehrimnir/druidjs';
import { throwIfAborted } from '../errors';
import type { JobContext } from '../job';

export interface TsneOptions {
  seed: number;
  /** Default: tsnePerplexity(n). */
  perplexity?: number;
  iterations: number;
  /** Learning rate (druidjs's epsilon; its default 10 converges in 500 iterations for a few hundred points). */
  epsilon: number;
  /** The part of the job's progress bar this fills. */
  progressRange?: readonly [number, number];
}

export const DEFAULT_TSNE: TsneOptions = { seed: 1, iterations: 500, epsilon: 10 };

export type Point = [number, number];

export function tsnePerplexity(n: number): number {
  return Math.max(1, Math.min(30, (n - 1) / 3));
}

/** Iterations between yields to the event loop (and progress reports). */
const CHUNK = 25;

/** 2-D positions, one per vector, in input order (arbitrary units, centred on 0). */
export async function tsne(vectors: readonly ArrayLike<number>[], context: Pick<JobContext, 'signal' | 'onProgress'>, options: Partial<TsneOptions> = {}): Promise<Point[]> {
  const o = { ...DEFAULT_TSNE, ...options };
  const [from, to] = o.progressRange ?? [0, 1];
  const n = vectors.length;
  throwIfAborted(context.signal);
  if (n === 0) return [];
  if (n === 1) return [[0, 0]];
  if (n === 2) return [[-1, 0], [1, 0]];
  const dimension = vectors[0].length;
  if (vectors.some((v) => v.length !== dimension)) throw new RangeError('tsne: vectors of different lengths');
  const X = vectors.map((v) => Float64Array.from(v));
  const model = new TSNE(X, { perplexity: o.perplexity ?? tsnePerplexity(n), epsilon: o.epsilon, d: 2, seed: o.seed });
  const steps = model.generator(o.iterations);
  let last: typeof X = [];
  let i = 0;
  try {
    for (const projection of steps) {
      last = projection;
      i++;
      if (i % CHUNK === 0 || i === o.iterations) {
        context.onProgress({ fraction: from + ((to - from) * i) / o.iterations, message: `t-SNE ${i} of ${o.iterations}` });
        await new Promise((resolve) => setTimeout(resolve, 0));
        throwIfAborted(context.signal); // leaving the for-of runs the generator's finally: druidjs frees its WASM buffers
      }
    }
  } finally {
    steps.return(last);
  }
  return Array.from(last, (row) => [row[0], row[1]] as Point);
}

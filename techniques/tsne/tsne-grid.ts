// Embeddings → t-SNE map → grid cells, in one call (the t-SNE grid of the lecture, without overlapping images).
import type { JobContext } from '../job';
import { assignToGrid, type GridAssignment } from './grid';
import { tsne, type Point, type TsneOptions } from './tsne';

export interface TsneGrid extends GridAssignment {
  /** The raw t-SNE positions, in input order. */
  positions: Point[];
}

export async function tsneGrid(vectors: readonly ArrayLike<number>[], context: Pick<JobContext, 'signal' | 'onProgress'>, options: Partial<TsneOptions> = {}): Promise<TsneGrid> {
  const positions = await tsne(vectors, context, options);
  return { ...assignToGrid(positions), positions };
}

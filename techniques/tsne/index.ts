// t-SNE of embeddings and its arrangement on a non-overlapping grid.
export { DEFAULT_TSNE, tsne, tsnePerplexity, type Point, type TsneOptions } from './tsne';
export { assignToGrid, gridShape, normalizePositions, type GridAssignment, type GridItem } from './grid';
export { assignMinCost } from './hungarian';
export { gridFrames, type Frame, type FrameLayout, type FrameOptions } from './frames';
export { tsneGrid, type TsneGrid } from './tsne-grid';

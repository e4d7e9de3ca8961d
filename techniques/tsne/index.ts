// t-SNE of embeddings, its arrangement on a non-overlapping grid, and that grid drawn as one picture.
export { DEFAULT_TSNE, tsne, tsnePerplexity, type Point, type TsneOptions } from './tsne';
export { assignToGrid, gridShape, normalizePositions, type GridAssignment, type GridItem } from './grid';
export { assignMinCost } from './hungarian';
export { gridFrames, type Frame, type FrameLayout, type FrameOptions } from './frames';
export { tsneGrid, type TsneGrid } from './tsne-grid';
export { composeFrames, fitToCell, TRANSPARENT, WHITE, type Rgba } from './compose';

// Embeddings and nearest neighbours: MobileNetV2 features vs raw pixels, cached by image hash.
export { MOBILENET_EMBEDDING_SIZE, mobileNetEmbedder, pixelEmbedder, type Embedder } from './embedders';
export { embedImages, type EmbedOptions } from './embed-images';
export { createEmbeddingCache, type EmbeddingCache } from './embedding-cache';
export { findSimilar } from './find-similar';
export { fnv1a, imageHash } from './image-hash';
export { rankBySimilarity, type Ranked } from './rank';
export { cosineSimilarity, l2Normalize } from './vectors';
export { squareView } from './view';

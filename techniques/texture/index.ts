// Texture fill's algorithms (pure functions over pixels; no UI, no Figma, no network loading): the patch method
// (image quilting) and the neural method (Gatys texture synthesis, Gram or sliced-Wasserstein statistics, tiled for
// large outputs), both optionally seamless.
export { quiltTexture, quiltTextureDetailed, type QuiltOptions, type QuiltResult, MAX_QUILT_SIDE } from './quilting';
export {
  synthesizeNeuralTexture,
  sampleAtScale,
  planStages,
  type NeuralTextureOptions,
  type NeuralTextureResult,
  type StageReport,
  type TextureJobContext,
  MAX_TEXTURE_SIDE,
} from './neural';
export { createTextureObjective, type TextureLoss, type TextureObjective, type TextureObjectiveOptions } from './texture-objective';
export { makeSeamlessNeural, makeSeamlessPatch } from './seamless';

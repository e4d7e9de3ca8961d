// The style technique: one entry point, two methods. "fast" is one pass of a pretrained arbitrary-style network
// (fast.ts); "gatys" optimizes the image itself against VGG19 features (gatys.ts). Both take params.size (the
// result's longest side) and the same style choices (resolve-styles.ts).
import type { StyleParams } from '../catalog';
import { PasticheError } from '../errors';
import type { Technique } from '../job';
import { fastStyleTransfer } from './fast';
import { gatysStyleTransfer } from './gatys';

export { resolveStyleImages, type ResolvedStyle } from './resolve-styles';
export { fastStyleTransfer, createFastStyleTransfer } from './fast';

export const styleTransfer: Technique<StyleParams> = (images, params, context) => {
  switch (params.method) {
    case 'fast':
      return fastStyleTransfer(images, params, context);
    case 'gatys':
      return gatysStyleTransfer(images, params, context);
    default:
      return Promise.reject(new PasticheError('bad-params', `Method must be fast or gatys (got ${String((params as StyleParams).method)}).`));
  }
};

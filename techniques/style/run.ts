// The style technique: one entry point, two methods. "fast" is one pass of a pretrained arbitrary-style network
// (fast.ts); "gatys" optimizes the image itself against VGG19 features (gatys.ts). Both take params.size (the
// result's longest side) and the same style choices (resolve-styles.ts).
import type { Technique } from '../job';
import { fastStyleTransfer } from './fast';
import { gatysStyleTransfer } from './gatys';
import type { StyleParams } from './spec';

export const run: Technique<StyleParams> = (images, params, context) =>
  params.method === 'gatys' ? gatysStyleTransfer(images, params, context) : fastStyleTransfer(images, params, context);

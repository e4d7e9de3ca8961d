// Entry point of the TFLite -> TF.js weights conversion, called by the setup step (models/setup/**).
import type { ConvertedWeights } from '../weights/format';
import { decodeGraph } from './graph';
import { readTfliteModel } from './model-reader';
import { convertMobileNetGraph } from './convert-mobilenet';
import { convertTransformerGraph } from './convert-magenta-transformer';

/** Bump when the converted output changes, so that `npm run models` refreshes older caches.
 *  3: MobileNetV2 extras carry the graph's activation quantization and each conv's integer parameters.
 *  4: and the per-channel scales of int8 kernels (the style predictor), as weights. */
export const CONVERTER_VERSION = 4;

export type TfliteNetwork = 'mobilenet_v2' | 'magenta_predictor' | 'magenta_transformer';

export function convertTflite(network: TfliteNetwork, bytes: Uint8Array, sourceSha256: string[]): ConvertedWeights {
  const graph = decodeGraph(readTfliteModel(bytes));
  const { shard, extras } = network === 'magenta_transformer' ? convertTransformerGraph(graph) : convertMobileNetGraph(graph);
  const { weights, data } = shard.finish();
  return {
    manifest: { format: 'pastiche-weights-1', network, sourceSha256, weights, extras: { ...extras } },
    data,
  };
}

export { readTfliteModel } from './model-reader';
export { decodeGraph } from './graph';
export type { MobileNetExtras, MobileNetBlockInfo, ConvLayerInfo, MobileNetQuantization, ActivationQuantization } from './convert-mobilenet';
export type { TransformerExtras, TransformerLayerInfo, StyleNormInfo } from './convert-magenta-transformer';

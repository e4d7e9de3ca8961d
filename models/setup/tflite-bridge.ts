// The TFLite converter lives in models/tflite/ (its own author); setup only needs its entry point and a
// version number that marks caches made by an older converter as stale.
import * as tfliteConvert from '../tflite/convert';
import type { ConvertedWeights } from '../weights/format';

export type TfliteNetwork = tfliteConvert.TfliteNetwork;

export interface TfliteConverter {
  convert: (network: TfliteNetwork, bytes: Uint8Array, sourceSha256: string[]) => ConvertedWeights;
  /** `CONVERTER_VERSION` when models/tflite/convert.ts exports one (bump it when the output changes), else 1. */
  version: number;
}

export async function loadTfliteConverter(): Promise<TfliteConverter> {
  const declared = (tfliteConvert as { CONVERTER_VERSION?: unknown }).CONVERTER_VERSION;
  return { convert: tfliteConvert.convertTflite, version: typeof declared === 'number' ? declared : 1 };
}

// Loads the two dream networks straight from the converted cache (weight store + network factory), without the
// per-host network registry, so the DeepDream tests do not depend on how hosts share networks.
import { type DarknetTiny, createDarknetTiny } from '../../models/networks/darknet-tiny';
import type { DarknetExtras } from '../../models/networks/darknet-spec';
import { type MobileNetV2, createMobileNetV2 } from '../../models/networks/mobilenet-v2';
import type { MobileNetExtras } from '../../models/tflite/convert-mobilenet';
import { decodeConvertedWeights } from '../../models/weights/decode';
import { createFileWeightStore } from '../../models/weights/file-store';
import { MODELS_DIR, useWasmBackend } from './assets';

export async function loadMobileNetV2(): Promise<MobileNetV2> {
  const w = await createFileWeightStore(MODELS_DIR).load('mobilenet_v2');
  return createMobileNetV2(decodeConvertedWeights(w), w.manifest.extras as unknown as MobileNetExtras);
}

export async function loadDarknetTiny(): Promise<DarknetTiny> {
  const w = await createFileWeightStore(MODELS_DIR).load('darknet_tiny');
  return createDarknetTiny(decodeConvertedWeights(w), w.manifest.extras as unknown as DarknetExtras);
}

/** WASM backend (what the plugin runs on a CPU) and both networks. */
export async function dreamTestSetup(): Promise<{ mobilenet: MobileNetV2; darknet: DarknetTiny }> {
  await useWasmBackend();
  const [mobilenet, darknet] = await Promise.all([loadMobileNetV2(), loadDarknetTiny()]);
  return { mobilenet, darknet };
}

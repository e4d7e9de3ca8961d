// Loads the three networks the "Explore the network" tests look inside straight from the converted cache (weight
// store + network factory, no per-host registry), and the first-layer kernels as plain tensors: the network
// objects do not expose their weights (see the report on a `firstConvKernel` accessor).
import * as tf from '@tensorflow/tfjs';
import { type DarknetTiny, createDarknetTiny } from '../../models/networks/darknet-tiny';
import type { DarknetExtras } from '../../models/networks/darknet-spec';
import { type MobileNetV2, createMobileNetV2 } from '../../models/networks/mobilenet-v2';
import { type Vgg19, createVgg19 } from '../../models/networks/vgg19';
import type { MobileNetExtras } from '../../models/tflite/convert-mobilenet';
import { decodeConvertedWeights } from '../../models/weights/decode';
import { createFileWeightStore } from '../../models/weights/file-store';
import { FIRST_CONV, type FirstConvNetwork } from '../../techniques/filters/first-conv';
import { MODELS_DIR, useWasmBackend } from './assets';

const store = () => createFileWeightStore(MODELS_DIR);

export async function loadVgg19(): Promise<Vgg19> {
  return createVgg19(decodeConvertedWeights(await store().load('vgg19')));
}

export async function loadMobileNetV2(): Promise<MobileNetV2> {
  const w = await store().load('mobilenet_v2');
  return createMobileNetV2(decodeConvertedWeights(w), w.manifest.extras as unknown as MobileNetExtras);
}

export async function loadDarknetTiny(): Promise<DarknetTiny> {
  const w = await store().load('darknet_tiny');
  return createDarknetTiny(decodeConvertedWeights(w), w.manifest.extras as unknown as DarknetExtras);
}

/** The first conv's kernel (HWIO) of `name`, decoded like the network decodes it; the caller disposes it. */
export async function loadFirstConvKernel(name: FirstConvNetwork): Promise<tf.Tensor4D> {
  const weights = decodeConvertedWeights(await store().load(name));
  const kernel = weights[FIRST_CONV[name].weight] as tf.Tensor4D;
  tf.dispose(Object.values(weights).filter((t) => t !== kernel));
  return kernel;
}

export { useWasmBackend };

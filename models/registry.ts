// One instance of each pretrained network per session: weights are loaded from the current WeightStore on first
// use, shared by every technique, and freed on request. Concurrent first calls share one load.
import type { MobileNetExtras } from './tflite/convert-mobilenet';
import type { TransformerExtras } from './tflite/convert-magenta-transformer';
import { type DarknetTiny, createDarknetTiny } from './networks/darknet-tiny';
import type { DarknetExtras } from './networks/darknet-spec';
import { type StylePredictor, type StyleTransformer, createStylePredictor, createStyleTransformer } from './networks/magenta';
import { type MobileNetV2, createMobileNetV2 } from './networks/mobilenet-v2';
import { type Vgg19, createVgg19 } from './networks/vgg19';
import { decodeConvertedWeights } from './weights/decode';
import type { ConvertedWeights, NetworkName } from './weights/format';
import type { WeightStore } from './weights/store';

/** The object `getNetwork(name)` resolves to. Every network owns its weights and frees them in `dispose()`. */
export interface NetworkTypes {
  vgg19: Vgg19;
  darknet_tiny: DarknetTiny;
  mobilenet_v2: MobileNetV2;
  magenta_predictor: StylePredictor;
  magenta_transformer: StyleTransformer;
}

type Factory<N extends NetworkName> = (weights: ConvertedWeights) => NetworkTypes[N];

// Extras are written by the setup step for exactly these factories, hence the casts.
const FACTORIES: { [N in NetworkName]: Factory<N> } = {
  vgg19: (w) => createVgg19(decodeConvertedWeights(w)),
  darknet_tiny: (w) => createDarknetTiny(decodeConvertedWeights(w), w.manifest.extras as unknown as DarknetExtras),
  mobilenet_v2: (w) => createMobileNetV2(decodeConvertedWeights(w), w.manifest.extras as unknown as MobileNetExtras),
  magenta_predictor: (w) => createStylePredictor(decodeConvertedWeights(w), w.manifest.extras as unknown as MobileNetExtras),
  magenta_transformer: (w) => createStyleTransformer(decodeConvertedWeights(w), w.manifest.extras as unknown as TransformerExtras),
};

let store: WeightStore | null = null;
const loaded = new Map<NetworkName, Promise<NetworkTypes[NetworkName]>>();

/** Chooses where weights come from. Networks loaded from a previous store are freed. */
export function setWeightStore(next: WeightStore): void {
  disposeAll();
  store = next;
}

/** The shared instance of `name`, loading its weights on first use. */
export function getNetwork<N extends NetworkName>(name: N): Promise<NetworkTypes[N]> {
  let pending = loaded.get(name);
  if (!pending) {
    if (!store) return Promise.reject(new Error(`getNetwork(${name}): no weight store; call setWeightStore() first`));
    const from = store;
    pending = from.load(name).then((weights) => {
      if (weights.manifest.network !== name) throw new Error(`weight store returned ${weights.manifest.network} for ${name}`);
      return FACTORIES[name](weights);
    });
    loaded.set(name, pending);
    // A failed load is forgotten so that a later call can retry (e.g. after `npm run models`).
    pending.catch(() => {
      if (loaded.get(name) === pending) loaded.delete(name);
    });
  }
  return pending as Promise<NetworkTypes[N]>;
}

/** Frees `name`'s weights; the next getNetwork loads it again. Resolves once the tensors are freed. */
export async function disposeNetwork(name: NetworkName): Promise<void> {
  const pending = loaded.get(name);
  if (!pending) return;
  loaded.delete(name);
  try {
    (await pending).dispose();
  } catch {
    // It never loaded, so there is nothing to free.
  }
}

export async function disposeAll(): Promise<void> {
  await Promise.all([...loaded.keys()].map(disposeNetwork));
}

/** Names of the networks currently loaded or loading (for diagnostics and tests). */
export function loadedNetworks(): NetworkName[] {
  return [...loaded.keys()];
}

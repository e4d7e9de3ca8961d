// The one table of pretrained networks (name -> factory over its converted weights; the files are in
// models/manifest.json), and the per-host set of loaded networks built from it.
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

/** The networks of one host (the engine, the CLI, a test): loaded from its weight store on first use, shared by
 *  every job of that host, freed on request. Techniques reach them through `JobContext.networks`. */
export interface Networks {
  /** The shared instance of `name`, loading its weights on first use (concurrent first calls share one load). */
  get<N extends NetworkName>(name: N): Promise<NetworkTypes[N]>;
  /** Frees `name`'s weights; the next `get` loads it again. Resolves once the tensors are freed. */
  dispose(name: NetworkName): Promise<void>;
  disposeAll(): Promise<void>;
  /** Names of the networks currently loaded or loading (for diagnostics and tests). */
  loaded(): NetworkName[];
}

export function createNetworks(store: WeightStore): Networks {
  const loaded = new Map<NetworkName, Promise<NetworkTypes[NetworkName]>>();
  const networks: Networks = {
    get<N extends NetworkName>(name: N): Promise<NetworkTypes[N]> {
      let pending = loaded.get(name);
      if (!pending) {
        pending = store.load(name).then((weights) => {
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
    },
    async dispose(name) {
      const pending = loaded.get(name);
      if (!pending) return;
      loaded.delete(name);
      try {
        (await pending).dispose();
      } catch {
        // It never loaded, so there is nothing to free.
      }
    },
    async disposeAll() {
      await Promise.all([...loaded.keys()].map((name) => networks.dispose(name)));
    },
    loaded: () => [...loaded.keys()],
  };
  return networks;
}

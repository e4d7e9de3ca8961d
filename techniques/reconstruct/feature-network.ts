// One small interface over the three networks the "Explore the network" tools look inside, so feature inversion,
// the layer sweep and the first-layer responses are written once: an ordered list of layers (shallow → deep) and
// "the activations of this layer for this image". Adapters wrap the shared network objects; they load nothing.
import * as tf from '@tensorflow/tfjs';
import type { DarknetTiny } from '../../models/networks/darknet-tiny';
import type { MobileNetV2, MobileNetEndpoint } from '../../models/networks/mobilenet-v2';
import type { Vgg19, Vgg19Layer } from '../../models/networks/vgg19';
import { DARKNET_TINY_SWEEP, MOBILENET_V2_SWEEP, VGG19_SWEEP } from './sweep-layers';

export type FeatureNetworkName = 'vgg19' | 'mobilenet_v2' | 'darknet_tiny';

export interface FeatureNetwork {
  readonly name: FeatureNetworkName;
  /** The layers offered to a designer, shallow → deep (the inversion sweep's order). */
  readonly layers: readonly string[];
  /** The first convolution's output after its activation (what the first-layer response view shows). */
  readonly firstLayer: string;
  /** Activations of `layer` for `x` ([1, H, W, 3], RGB 0..1), [1, h, w, c]. Differentiable; caller owns it. */
  features(x: tf.Tensor4D, layer: string): tf.Tensor4D;
}

export function vgg19FeatureNetwork(vgg: Vgg19, layers: readonly Vgg19Layer[] = VGG19_SWEEP): FeatureNetwork {
  return {
    name: 'vgg19',
    layers,
    firstLayer: 'relu1_1',
    features: (x, layer) => tf.tidy(() => vgg.features(x, [layer as Vgg19Layer])[layer as Vgg19Layer]),
  };
}

/** MobileNetV2 in float (never the quantization emulation: its rounding has no useful gradient). */
export function mobileNetV2FeatureNetwork(net: MobileNetV2, layers: readonly MobileNetEndpoint[] = MOBILENET_V2_SWEEP): FeatureNetwork {
  return {
    name: 'mobilenet_v2',
    layers,
    firstLayer: 'stem',
    features: (x, layer) => {
      if (layer === 'embedding' || layer === 'logits') throw new Error(`mobilenet_v2: ${layer} is not a spatial layer`);
      return tf.tidy(() => net.endpoints(x, [layer as MobileNetEndpoint], { emulateQuantization: false })[layer as MobileNetEndpoint] as tf.Tensor4D);
    },
  };
}

export function darknetTinyFeatureNetwork(net: DarknetTiny, layers: readonly string[] = DARKNET_TINY_SWEEP): FeatureNetwork {
  return {
    name: 'darknet_tiny',
    layers,
    firstLayer: net.layers[0],
    features: (x, layer) => tf.tidy(() => net.features(x, [layer])[layer]),
  };
}

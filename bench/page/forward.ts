// The networks' forward passes as the bench and the backend parity page run them: one function per network over a
// fixed input (the jobs' synthetic pattern) and, for the transformer, a fixed style bottleneck.
import * as tf from '@tensorflow/tfjs';
import { pageNetworks } from './backend';
import { rgbTensor, syntheticImage } from './images';
import type { ForwardNetwork } from './protocol';

/** A fixed input: the same pattern as the jobs, as [1,S,S,3] in 0..1. */
export function inputTensor(size: number): tf.Tensor4D {
  return rgbTensor(syntheticImage(size));
}

/** A fixed style bottleneck (seeded), so the transformer's cost is measured without the predictor's. */
export const fixedBottleneck = () => tf.randomNormal([1, 1, 1, 100], 0, 0.5, 'float32', 12);

/** What each network's row runs: the classifier's logits (quantized, as `classify`), VGG19 to relu3_4, the predictor, the transformer. */
export async function forwardFunction(network: ForwardNetwork, bottleneck: tf.Tensor): Promise<(x: tf.Tensor4D) => tf.Tensor> {
  const networks = pageNetworks();
  switch (network) {
    case 'mobilenet_v2': {
      const net = await networks.get('mobilenet_v2');
      // As classification runs it: the graph's own integer arithmetic, which is what the interpreter computes.
      return (x) => net.logits(x, { emulateQuantization: true });
    }
    case 'darknet_tiny': {
      const net = await networks.get('darknet_tiny');
      return (x) => net.logits(x);
    }
    case 'vgg19': {
      const net = await networks.get('vgg19');
      return (x) => net.features(x, ['relu3_4']).relu3_4;
    }
    case 'magenta_predictor': {
      const net = await networks.get('magenta_predictor');
      return (x) => net.predictStyle(x, { resize: false });
    }
    case 'magenta_transformer': {
      const net = await networks.get('magenta_transformer');
      return (x) => net.transform(x, bottleneck);
    }
  }
}

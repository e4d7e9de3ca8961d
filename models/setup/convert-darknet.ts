// Darknet Tiny (Keras, TF.js layers format) -> our format. The Keras graph is a plain chain of
// conv -> batch norm -> leaky ReLU blocks with max pools; batch norm is folded into the conv here because at
// inference it is an affine map per channel, which saves four ops per block at every forward and backward pass.
import type { ConvertedWeights } from '../weights/format';
import type { DarknetExtras, DarknetLayer, Padding } from '../networks/darknet-spec';
import { type KerasLayer, parseLayersModel, readLayersWeights } from './layers-model';
import { type FloatTensor, packWeights } from './weight-pack';

export const DARKNET_CONVERTER_VERSION = 3;

export function convertDarknetTiny(
  modelJson: Uint8Array,
  readShard: (relativePath: string) => Uint8Array,
  labels: string[],
  sourceSha256: string[],
): ConvertedWeights {
  const model = parseLayersModel(modelJson);
  const keras = new Map(readLayersWeights(model, readShard, () => true).map((t) => [t.name, t]));
  const layers: DarknetLayer[] = [];
  const tensors: FloatTensor[] = [];
  let epsilon = NaN;
  let convCount = 0;
  let poolCount = 0;
  const chain = model.modelTopology.model_config.config.layers.filter((l) => l.class_name !== 'InputLayer');
  for (let i = 0; i < chain.length; i++) {
    const layer = chain[i];
    const c = layer.config;
    switch (layer.class_name) {
      case 'Conv2D': {
        const bn = chain[i + 1]?.class_name === 'BatchNormalization' ? chain[++i] : null;
        const leaky = chain[i + 1]?.class_name === 'LeakyReLU' ? chain[++i] : null;
        if (c.activation !== 'linear') throw new Error(`${c.name}: unexpected activation ${String(c.activation)}`);
        const name = `conv${++convCount}`;
        const folded = foldConv(keras, c.name, bn);
        if (bn) epsilon = Number(bn.config.epsilon);
        tensors.push({ name: `${name}/kernel`, shape: folded.kernel.shape, values: folded.kernel.values });
        tensors.push({ name: `${name}/bias`, shape: [folded.bias.length], values: folded.bias });
        layers.push({
          kind: 'conv',
          name,
          kerasName: c.name,
          kernelSize: square(c.kernel_size, c.name),
          stride: square(c.strides, c.name),
          padding: c.padding as Padding,
          leakyAlpha: leaky ? Math.fround(Number(leaky.config.alpha)) : null,
        });
        break;
      }
      case 'MaxPooling2D':
        layers.push({
          kind: 'maxpool',
          name: `pool${++poolCount}`,
          kerasName: c.name,
          poolSize: square(c.pool_size, c.name),
          stride: square(c.strides, c.name),
          padding: c.padding as Padding,
        });
        break;
      case 'GlobalAveragePooling2D':
        layers.push({ kind: 'globalAvgPool', name: 'logits', kerasName: c.name });
        break;
      default:
        throw new Error(`darknet_tiny: unexpected Keras layer ${layer.class_name} ${c.name}`);
    }
  }
  const extras: DarknetExtras = { converterVersion: DARKNET_CONVERTER_VERSION, layers, labels, inputSize: 224, batchNormEpsilon: epsilon };
  // float16 halves what the UI bundle carries; top-5 probabilities move by < 1e-3 (measured on the shared images).
  const packed = packWeights(tensors, 'float16');
  return {
    manifest: { format: 'pastiche-weights-1', network: 'darknet_tiny', sourceSha256, weights: packed.weights, extras: { ...extras } },
    data: packed.data,
  };
}

/** conv (no bias) then BN(gamma, beta, mean, var, eps) == conv with kernel*s and bias beta - mean*s, s = gamma/sqrt(var+eps). */
function foldConv(keras: Map<string, FloatTensor>, convName: string, bn: KerasLayer | null) {
  const kernel = need(keras, `${convName}/kernel`);
  const outChannels = kernel.shape[3];
  const bias = new Float32Array(outChannels);
  const convBias = keras.get(`${convName}/bias`);
  if (convBias) bias.set(convBias.values);
  if (!bn) return { kernel, bias };
  const name = bn.config.name;
  const gamma = need(keras, `${name}/gamma`).values;
  const beta = need(keras, `${name}/beta`).values;
  const mean = need(keras, `${name}/moving_mean`).values;
  const variance = need(keras, `${name}/moving_variance`).values;
  const epsilon = Number(bn.config.epsilon);
  const scale = new Float64Array(outChannels);
  for (let o = 0; o < outChannels; o++) {
    scale[o] = gamma[o] / Math.sqrt(variance[o] + epsilon);
    bias[o] = beta[o] + (bias[o] - mean[o]) * scale[o];
  }
  const values = new Float32Array(kernel.values.length);
  // HWIO layout: the output channel is the fastest-moving index.
  for (let i = 0; i < values.length; i++) values[i] = kernel.values[i] * scale[i % outChannels];
  return { kernel: { ...kernel, values }, bias };
}

function need(map: Map<string, FloatTensor>, name: string): FloatTensor {
  const t = map.get(name);
  if (!t) throw new Error(`darknet_tiny: weight ${name} not in the shards`);
  return t;
}

function square(value: unknown, layer: string): number {
  const pair = value as number[];
  if (!Array.isArray(pair) || pair[0] !== pair[1]) throw new Error(`${layer}: non-square ${JSON.stringify(value)}`);
  return pair[0];
}

// Magenta's arbitrary image stylization (Ghiasi et al. 2017) as plain functions over named weights:
// a style predictor (MobileNetV2 trunk -> 100-d style bottleneck) and a style transformer whose
// conditional instance norms take gamma/beta from that bottleneck through 1x1 convs.
import * as tf from '@tensorflow/tfjs';
import type { MobileNetExtras } from '../tflite/convert-mobilenet';
import type { TransformerExtras, TransformerLayerInfo } from '../tflite/convert-magenta-transformer';
import { mobileNetV2Head, pooledOutput } from './mobilenet-v2';
import { channelMoments, normalize, type NormActivation } from './instance-norm';
import { transformerConvs } from './transformer-convs';
import { disposeQuantizedLayers, prepareQuantizedLayers } from './quantized-layers';
import { asBatch, disposeMap, kernelFusedConvLayer } from './ops';

// ---------------------------------------------------------------------------------------------
// Style predictor

export interface StylePredictor {
  /** Style bottleneck [1,1,1,100] of a style image (RGB 0..1, [H,W,3] or [1,H,W,3]). The predictor is
   *  defined at 256x256: by default the image is center-cropped to a square and resized bilinearly to
   *  256x256 first (as TensorFlow Lite's style transfer example does); `resize: false` feeds it as is. */
  predictStyle(image: tf.Tensor3D | tf.Tensor4D, options?: { resize?: boolean }): tf.Tensor4D;
  dispose(): void;
}

export function createStylePredictor(weights: tf.NamedTensorMap, extras: MobileNetExtras): StylePredictor {
  // What the published int8 graph computes, where the weights describe it (every cache from converter 4 on): the
  // integer kernels on WASM (quantized-mobilenet.ts), their exact float emulation on other backends.
  const emulation = { emulateQuantization: Object.keys(extras.quantization?.channelKernels ?? {}).length > 0 };
  if (emulation.emulateQuantization) prepareQuantizedLayers(weights, extras, extras.quantization!);
  return {
    predictStyle: (image, options = {}) =>
      tf.tidy(() => {
        let x = asBatch(image);
        if (options.resize !== false) x = centerCropResize(x, extras.inputSize);
        const head = mobileNetV2Head(x, weights, extras, emulation);
        return pooledOutput(head, weights, extras, emulation).output; // "bottleneck/Mean", then the 1x1 conv
      }),
    dispose: () => {
      disposeQuantizedLayers(weights);
      disposeMap(weights);
    },
  };
}

function centerCropResize(x: tf.Tensor4D, [height, width]: [number, number]): tf.Tensor4D {
  const [, h, w] = x.shape;
  const side = Math.min(h, w);
  const cropped = side === h && side === w ? x : tf.slice(x, [0, Math.floor((h - side) / 2), Math.floor((w - side) / 2), 0], [-1, side, side, -1]);
  return side === height && side === width ? cropped : tf.image.resizeBilinear(cropped, [height, width]);
}

// ---------------------------------------------------------------------------------------------
// Style transformer

/** Instance-norm statistics of one norm layer: mean and variance over H,W, each [1,1,1,C]. */
export interface NormLayerStats {
  layer: string;
  mean: tf.Tensor4D;
  variance: tf.Tensor4D;
}
/** Statistics of every norm layer, in network order. Dispose with `disposeNormStats`. */
export type NormStats = NormLayerStats[];

export function disposeNormStats(stats: NormStats): void {
  for (const s of stats) {
    s.mean.dispose();
    s.variance.dispose();
  }
}

export interface StyleTransformer {
  /** Stylized image [1,H,W,3] in 0..1 for content (RGB 0..1, any size >= 16) and a style bottleneck
   *  [1,1,1,100]. With `normStats` the norms use those statistics instead of the content's own, so that
   *  tiles of a large image can all be normalised like one low-resolution pass of the whole image. */
  transform(content: tf.Tensor3D | tf.Tensor4D, bottleneck: tf.Tensor, options?: { normStats?: NormStats }): tf.Tensor4D;
  /** The statistics of every norm layer for this content and style (caller disposes them). */
  captureNormStats(content: tf.Tensor3D | tf.Tensor4D, bottleneck: tf.Tensor): NormStats;
  readonly normLayerCount: number;
  dispose(): void;
}

/** The activation after a transformer norm, as the norm's fused kernels take it. */
function normActivation(activation: TransformerLayerInfo['activation']): NormActivation {
  if (activation === 'none' || activation === 'relu' || activation === 'sigmoid') return activation;
  throw new Error(`transformer norm activation ${activation} is not supported`);
}

export function createStyleTransformer(weights: tf.NamedTensorMap, extras: TransformerExtras): StyleTransformer {
  const layers = new Map(extras.layers.map((l) => [l.name, l]));
  const convs = transformerConvs(weights, extras.layers);
  const layer = (name: string) => {
    const l = layers.get(name);
    if (!l) throw new Error(`transformer layer ${name} is missing from the manifest`);
    return l;
  };

  /** One full pass. `fixed` replaces the computed norm statistics; computed ones are pushed to `captured`. */
  function forward(content: tf.Tensor4D, bottleneck: tf.Tensor4D, fixed: NormStats | undefined, captured: NormStats): tf.Tensor4D {
    let normIndex = 0;
    const encoderSizes: [number, number][] = [];

    const conditionalInstanceNorm = (x: tf.Tensor4D, l: TransformerLayerInfo): tf.Tensor4D => {
      const norm = l.norm!;
      const styleParam = (scope: string) => kernelFusedConvLayer(bottleneck, weights, scope, { strides: [1, 1], padding: 'same', activation: 'none' });
      const beta = styleParam(norm.beta);
      const gamma = styleParam(norm.gamma);
      let stats = fixed?.[normIndex];
      if (fixed && !stats) throw new Error(`normStats has ${fixed.length} layers, the transformer needs more`);
      if (!stats) {
        stats = { layer: l.name, ...channelMoments(x) };
        captured.push(stats);
      }
      normIndex++;
      return normalize(x, stats, gamma, beta, norm.epsilon, normActivation(l.activation));
    };

    const convBlock = (x: tf.Tensor4D, name: string): tf.Tensor4D => {
      const l = layer(name);
      // Nearest-neighbour upsampling back to the matching encoder size (= x2 when sizes divide by 4).
      const upsampledSize: [number, number] | undefined = l.upsample > 1 ? (encoderSizes.pop() ?? [x.shape[1] * l.upsample, x.shape[2] * l.upsample]) : undefined;
      if (l.strides[0] > 1) encoderSizes.push([x.shape[1], x.shape[2]]);
      // A norm takes the activation after it.
      const y = convs.run(x, l, upsampledSize, l.norm ? 'none' : l.activation);
      return l.norm ? conditionalInstanceNorm(y, l) : y;
    };

    let x = content;
    x = convBlock(x, 'transformer/contract/conv1');
    x = convBlock(x, 'transformer/contract/conv2');
    x = convBlock(x, 'transformer/contract/conv3');
    for (let r = 1; r <= 5; r++) {
      const h = convBlock(x, `transformer/residual/residual${r}/conv1`);
      x = tf.add(x, convBlock(h, `transformer/residual/residual${r}/conv2`));
    }
    x = convBlock(x, 'transformer/expand/conv1/conv');
    x = convBlock(x, 'transformer/expand/conv2/conv');
    return convBlock(x, 'transformer/expand/conv3/conv'); // sigmoid: 0..1
  }

  const prepare = (content: tf.Tensor3D | tf.Tensor4D, bottleneck: tf.Tensor) => {
    const c = asBatch(content);
    if (c.shape[0] !== 1) throw new Error('the style transformer takes one image at a time');
    return { c, b: tf.reshape(bottleneck, [1, 1, 1, extras.bottleneckSize]) as tf.Tensor4D };
  };

  const normLayerCount = extras.layers.filter((l) => l.norm).length;
  return {
    transform: (content, bottleneck, options = {}) =>
      tf.tidy(() => {
        const { c, b } = prepare(content, bottleneck);
        if (options.normStats && options.normStats.length !== normLayerCount)
          throw new Error(`normStats has ${options.normStats.length} layers, expected ${normLayerCount}`);
        return forward(c, b, options.normStats, []);
      }),
    captureNormStats: (content, bottleneck) => {
      const flat = tf.tidy(() => {
        const { c, b } = prepare(content, bottleneck);
        const captured: NormStats = [];
        forward(c, b, undefined, captured);
        return captured.flatMap((s) => [s.mean, s.variance]);
      });
      return extras.layers
        .filter((l) => l.norm)
        .map((l, i) => ({ layer: l.name, mean: flat[2 * i] as tf.Tensor4D, variance: flat[2 * i + 1] as tf.Tensor4D }));
    },
    normLayerCount,
    dispose: () => {
      convs.dispose();
      disposeMap(weights);
    },
  };
}

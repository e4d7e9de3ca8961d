// What the Node side (bench/run.ts, the parity test) and the bench page say to each other through
// page.evaluate: plain JSON only. One file so both sides agree on the shapes.

export type Backend = 'webgpu' | 'webgl' | 'wasm';

/** One measurement the page runs. `size` is the square input side in pixels. */
export type CaseSpec =
  /** A technique job on a synthetic image; `perStep`: one run timed per optimisation step (see BenchPlan). */
  | { kind: 'technique'; id: string; size: number; params: Record<string, unknown>; perStep: boolean }
  | { kind: 'forward'; network: ForwardNetwork; size: number }
  /** One optimisation step's network work: forward to a layer + the input gradient of ½·mean(a²), against the forward alone. */
  | { kind: 'gradient'; network: GradientNetwork; size: number }
  | { kind: 'reference'; network: ReferenceNetwork }
  /** MobileNetV2 embeddings of `images` distinct size px images in batches of `batchSize` (Find similar, Arrange). */
  | { kind: 'embedding'; size: number; images: number; batchSize: number }
  /** t-SNE of `items` seeded random `dimension`-d vectors (Arrange by similarity); pure JS, no TF.js backend. */
  | { kind: 'tsne'; items: number; dimension: number; seed: number }
  | { kind: 'load-all' }
  /**
   * The neural texture method until its output's Gram distance to a bundled sample is at most each of
   * `floorFactors` × the sample's halves floor (test/support/texture-quality.ts; the first is the row's figure):
   * steps and time to each quality, at most `maxSteps` (first stage).
   */
  | { kind: 'texture-quality'; size: number; sample: string; maxSteps: number; floorFactors: number[] }
  /**
   * The default Gatys style job on a bundled photograph (`content`, /images/content/) with a style preset, to its end
   * (bench/page/style-quality.ts): its seconds, its result's Gram ratio to the painting, when a preview first had at
   * most `ratio`, peak bytes.
   */
  | { kind: 'style-quality'; size: number; content: string; style: string; ratio: number }
  | OddInputSpec;

/** One run of a technique whose source or reference is `width` × `height` (a stripe, a huge square): its peak memory. */
export interface OddInputSpec {
  kind: 'odd-input';
  id: string;
  width: number;
  height: number;
  role: 'source' | 'reference';
  params: Record<string, unknown>;
}

export type ForwardNetwork = 'mobilenet_v2' | 'darknet_tiny' | 'vgg19' | 'magenta_predictor' | 'magenta_transformer';
export type GradientNetwork = 'vgg19' | 'mobilenet_v2' | 'darknet_tiny';
export type ReferenceNetwork = 'mobilenet_v2' | 'magenta_predictor' | 'magenta_transformer';

export interface CaseMeasure {
  coldMs: number;
  warmMs: number;
  /** Highest tf.memory().numBytes seen during the warm run, minus the bytes held before it (weights excluded). */
  peakBytes: number | null;
  /** Tensors alive after the warm run that were not alive before it (0 = no leak). */
  tensorsLeftOver: number;
  /** Case-specific figures, e.g. per-network load times or Gatys ms/step. */
  extra?: Record<string, number | string>;
}

export interface MobileNetParity {
  image: string;
  ourTop5: number[];
  referenceTop5: number[];
  ourLabels: string[];
  referenceLabels: string[];
  ourTop5Probabilities: number[];
  /** uint8 outputs / 256 (the output scale of this quantized model is 1/256). */
  referenceTop5Probabilities: number[];
}

export interface MagentaParity {
  /** Per style image: cosine similarity of the two 100-d bottlenecks. */
  bottlenecks: Array<{ style: string; cosine: number }>;
  /** Per (content, style) pair: mean absolute difference of the 384x384 stylized images, on the 0..255 scale. */
  transforms: Array<{ content: string; style: string; madOver255: number; maxAbsOver255: number; referenceFromContentOver255: number; ourMs: number; referenceMs: number }>;
  transformerInputs: string;
}

export interface PageInfo {
  backend: string;
  /** The WebGL renderer, or the WebGPU adapter's name (ui/engine/webgpu-adapter-name.ts). */
  renderer?: string;
}

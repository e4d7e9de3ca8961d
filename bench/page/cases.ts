// The cases the bench page can run, each returning cold/warm time, peak bytes and leftover tensors.
import * as tf from '@tensorflow/tfjs';
import { isTechniqueId } from '../../techniques/registry';
import { runTechnique } from '../../techniques/run-technique';
import { silentContext, type JobContext } from '../../techniques/job';
import { fitConvolutionsTo } from '../../ui/engine/backend';
import { bundledAssets } from '../../ui/engine/resources';
import { syntheticImage } from './images';
import { fixedBottleneck, forwardFunction, inputTensor } from './forward';
import { coldAndWarm, pairedRatio, peakBytesDuring } from './measure';
import type { CaseMeasure, CaseSpec, ForwardNetwork, GradientNetwork, ReferenceNetwork } from './protocol';
import { useFastGradients, withKernelCache } from '../../techniques/optimize/fast-gradients';
import { REFERENCE_SIZE, loadReference } from './reference';
import { pageNetworks, useBundledWeights } from './backend';
import { type StepStamp, msPerFinalStep, stageExtras, stampOf } from './step-times';
import { textureQualityCase } from './texture-quality';
import { styleQualityCase } from './style-quality';
import { embeddingCase, tsneCase } from './explore';
import { oddInputCase } from './odd-inputs';

/** Untimed runs before the warm ones in the rows that compare with the TFLite interpreter (measure.ts). */
const SETTLE_RUNS = 10;

const NETWORKS: ForwardNetwork[] = ['mobilenet_v2', 'darknet_tiny', 'vgg19', 'magenta_predictor', 'magenta_transformer'];

export async function runCase(spec: CaseSpec): Promise<CaseMeasure> {
  // The convolution shader the engine picks for a job of this size (im2col only while it fits the GPU's textures).
  const side = 'size' in spec ? spec.size : 224;
  fitConvolutionsTo(side * side);
  switch (spec.kind) {
    case 'technique':
      return spec.perStep ? perStepCase(spec.id, spec.size, spec.params) : techniqueCase(spec.id, spec.size, spec.params);
    case 'forward':
      return forwardCase(spec.network, spec.size);
    case 'gradient':
      return gradientCase(spec.network, spec.size);
    case 'reference':
      return referenceCase(spec.network);
    case 'load-all':
      return loadAll();
    case 'texture-quality':
      return textureQualityCase(spec, pageContext);
    case 'style-quality':
      return styleQualityCase(spec, pageContext);
    case 'embedding':
      return embeddingCase(spec.size, spec.images, spec.batchSize);
    case 'tsne':
      return tsneCase(spec.items, spec.dimension, spec.seed);
    case 'odd-input':
      return oddInputCase(spec, pageContext());
    default:
      // A page built before the case existed (run "npm run build").
      throw new Error(`this bench page has no case "${(spec as { kind: string }).kind}"`);
  }
}

async function forwardCase(network: ForwardNetwork, size: number): Promise<CaseMeasure> {
  const x = inputTensor(size);
  const bottleneck = fixedBottleneck();
  const forward = await forwardFunction(network, bottleneck);
  const runForward = async () => {
    const y = forward(x);
    await y.data();
    y.dispose();
  };
  try {
    // Settled like the reference rows: their ratio compares steady times.
    const measure = await coldAndWarm(runForward, { settleRuns: SETTLE_RUNS });
    if (tf.getBackend() !== 'wasm' || !(network in REFERENCE_SIZE) || REFERENCE_SIZE[network as ReferenceNetwork] !== size) return measure;
    // On WASM at the reference's size, also the ratio to the interpreter in alternating blocks on this page: the
    // ratio of two rows' medians taken a minute apart swung 1.1x-2.1x between runs on this shared machine.
    const reference = await referenceRunner(network as ReferenceNetwork);
    try {
      await coldAndWarm(reference.run, { settleRuns: SETTLE_RUNS });
      const paired = await pairedRatio(runForward, reference.run);
      return { ...measure, extra: { ...measure.extra, pairedRatioToReference: paired.ratio, pairedMs: paired.aMs, pairedReferenceMs: paired.bMs, pairedRounds: paired.rounds } };
    } finally {
      reference.dispose();
    }
  } finally {
    tf.dispose([x, bottleneck]);
  }
}

/** One inference of the .tflite on the reference interpreter at its fixed size (reading its output back). */
async function referenceRunner(network: ReferenceNetwork): Promise<{ run: () => Promise<void>; dispose: () => void }> {
  const model = await loadReference(network);
  const x = inputTensor(REFERENCE_SIZE[network]);
  const bottleneck = fixedBottleneck();
  const image = network === 'mobilenet_v2' ? tf.tidy(() => tf.cast(tf.round(tf.mul(x, 255)), 'int32')) : x;
  const inputs = network === 'magenta_transformer' ? model.inputs.map((info) => (info.shape?.[3] === 3 ? x : bottleneck)) : image;
  return {
    run: async () => {
      const y = model.predict(inputs) as tf.Tensor;
      await y.data();
      y.dispose();
    },
    dispose: () => tf.dispose([x, bottleneck, image]),
  };
}

/** The .tflite on the reference interpreter at its fixed size; cold = first inference, load reported apart. */
async function referenceCase(network: ReferenceNetwork): Promise<CaseMeasure> {
  const started = performance.now();
  const reference = await referenceRunner(network);
  const loadMs = performance.now() - started;
  try {
    const measure = await coldAndWarm(reference.run, { settleRuns: SETTLE_RUNS });
    return { ...measure, extra: { ...measure.extra, loadMs } };
  } finally {
    reference.dispose();
  }
}

/** Decoding and uploading every network from a fresh weight store, then one 224 px forward each (warm-up). */
async function loadAll(): Promise<CaseMeasure> {
  await useBundledWeights();
  const extra: Record<string, number> = {};
  const x = inputTensor(224);
  const bottleneck = fixedBottleneck();
  const tensorsBefore = tf.memory().numTensors;
  const started = performance.now();
  const { peakBytes } = await peakBytesDuring(async () => {
    for (const network of NETWORKS) {
      let t = performance.now();
      const forward = await forwardFunction(network, bottleneck);
      extra[`${network}.loadMs`] = Math.round(performance.now() - t);
      t = performance.now();
      const y = forward(x);
      await y.data();
      y.dispose();
      extra[`${network}.warmupMs`] = Math.round(performance.now() - t);
    }
  });
  const total = performance.now() - started;
  const weightTensors = tf.memory().numTensors - tensorsBefore;
  tf.dispose([x, bottleneck]);
  // The networks stay loaded (that is the point), so "left over" here is the weight tensors they hold.
  return { coldMs: total, warmMs: NaN, peakBytes, tensorsLeftOver: weightTensors, extra: { ...extra, weightBytes: tf.memory().numBytes } };
}

/** A job's context on the page: the engine's networks and bundled images. */
function pageContext(parts: Partial<JobContext> = {}): JobContext {
  return silentContext({ networks: pageNetworks(), assets: bundledAssets, ...parts });
}

function checkedId(id: string) {
  if (!isTechniqueId(id)) throw new Error(`unknown technique ${id}`);
  return id;
}

/** A technique job on a synthetic `size` px image: cold, then warm runs (the engine's convolution choice). */
async function techniqueCase(id: string, size: number, params: Record<string, unknown>): Promise<CaseMeasure> {
  const source = syntheticImage(size);
  const technique = checkedId(id);
  return coldAndWarm(async () => void (await runTechnique(technique, { source }, params, pageContext())));
}

/**
 * An optimisation at `size`: ms per step from its "step N" progress (the first step, which compiles, apart). For a
 * coarse-to-fine run, msPerStep is the last stage's (the output's size) and each stage's is reported apart.
 */
async function perStepCase(id: string, size: number, params: Record<string, unknown>): Promise<CaseMeasure> {
  const source = syntheticImage(size);
  const technique = checkedId(id);
  const stamps: StepStamp[] = [];
  const context = pageContext({
    onProgress: ({ message }) => {
      const stamp = stampOf(message, performance.now());
      if (stamp) stamps.push(stamp);
    },
  });
  // Networks load first (a fast warm-up run at a tiny size): their weights are not the job's leftovers.
  await runTechnique(technique, { source: syntheticImage(32) }, params, pageContext());
  const tensorsBefore = tf.memory().numTensors;
  const started = performance.now();
  const { peakBytes } = await peakBytesDuring(async () => void (await runTechnique(technique, { source }, params, context)));
  const total = performance.now() - started;
  const msPerStep = msPerFinalStep(stamps);
  return {
    coldMs: total,
    warmMs: msPerStep,
    peakBytes,
    tensorsLeftOver: tf.memory().numTensors - tensorsBefore,
    extra: { steps: stamps.length, firstStepMs: stamps.length ? Math.round(stamps[0].at - started) : NaN, msPerStep: Math.round(msPerStep), ...stageExtras(stamps) },
  };
}

/** The layer each network's gradient row ascends: the Gatys/inversion content depth for VGG19, the "Patterns" preset. */
const GRADIENT_LAYERS: Record<GradientNetwork, string> = { vgg19: 'relu3_1', mobilenet_v2: 'block_6', darknet_tiny: 'conv8' };

async function gradientCase(network: GradientNetwork, size: number): Promise<CaseMeasure> {
  const networks = pageNetworks();
  const layer = GRADIENT_LAYERS[network];
  const activations: (x: tf.Tensor4D) => tf.Tensor =
    network === 'vgg19'
      ? await networks.get('vgg19').then((net) => (x: tf.Tensor4D) => net.features(x, [layer as 'relu3_1'])[layer as 'relu3_1'])
      : network === 'mobilenet_v2'
        ? await networks.get('mobilenet_v2').then((net) => (x: tf.Tensor4D) => net.endpoints(x, [layer as 'block_6'])[layer as 'block_6'])
        : await networks.get('darknet_tiny').then((net) => (x: tf.Tensor4D) => net.features(x, [layer])[layer]);
  useFastGradients();
  const x = inputTensor(size);
  const objective = (image: tf.Tensor4D) => tf.mul(0.5, tf.mean(tf.square(activations(image)))) as tf.Scalar;
  const gradient = tf.grad((image: tf.Tensor) => objective(image as tf.Tensor4D));
  try {
    return await withKernelCache(async () => {
      const runForward = async () => {
        const y = tf.tidy(() => objective(x));
        await y.data();
        y.dispose();
      };
      const forward = await coldAndWarm(runForward);
      const runStep = async () => {
        const g = tf.tidy(() => gradient(x));
        await g.data();
        g.dispose();
      };
      const step = await coldAndWarm(runStep);
      const paired = await pairedRatio(runStep, runForward);
      return { ...step, extra: { ...step.extra, layer, forwardMs: Math.round(forward.warmMs), ratioToForward: paired.ratio, pairedRounds: paired.rounds } };
    });
  } finally {
    x.dispose();
  }
}

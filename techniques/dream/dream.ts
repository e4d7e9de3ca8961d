// DeepDream, the whole job: an image (or noise) in, a dreamed image out, any size up to 4096 px a side.
// Octaves (the lecture's multi-scale processing): the image is dreamed at octaveScale^k times its size, smallest
// first; after each octave the detail it gained (dreamed − that octave's base) is upsampled, scaled by
// detailStrength and added to the next octave's base. Each octave is one run of the shared optimisation loop
// (previews, cancel, stop-and-keep; progress spans the whole job, weighted by pixels × steps). Alpha is carried
// through untouched, and with maskToAlpha (the default) every step is multiplied by the alpha and the result
// composited over the source by it, so pixels outside the element do not change at all.
import * as tf from '@tensorflow/tfjs';
import type { DarknetTiny } from '../../models/networks/darknet-tiny';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { PasticheError } from '../errors';
import { assertNotEmpty, type RgbaImage } from '../image';
import type { JobContext } from '../job';
import { runOptimizationLoop } from '../optimize/optimization-loop';
import type { ImageOptimizer } from '../optimize/image-optimizer';
import { seededRandom } from '../random';
import { joinRgbAlpha, splitRgbAlpha } from '../tensor-image';
import { useFastGradients, withKernelCache } from '../optimize/fast-gradients';
import { useHeapSlices } from '../optimize/wasm-slice';
import { fitLongestSide, resizeTo } from './image-ops';
import { type DreamNetwork, dreamNetwork } from './network';
import { createNoiseDream } from './noise-start';
import { type DreamObjective, type ResolvedObjective, resolveObjective } from './objective';
import { LUCID_ROBUSTNESS } from './robustness';
import { createDreamStep } from './step';

export interface DreamParams {
  /** A layer name ("block_6", "conv8") or a preset ("Edges", "Textures", "Patterns", "Parts", "Objects"). */
  layer: string;
  objective: DreamObjective;
  /** Dream into the image, or start from noise (a feature visualisation of the objective). */
  start: 'image' | 'noise';
  octaves: number;
  /** Size ratio between successive octaves. */
  octaveScale: number;
  stepsPerOctave: number;
  /** Mean |change| of a pixel per step (0..1 scale): the normalised gradient ascent step. */
  stepSize: number;
  /** Largest random circular shift per step, px (at every octave). */
  jitter: number;
  /** How much of an octave's gained detail is carried into the next one (1 = all of it). */
  detailStrength: number;
  seed: number;
  /** Only pixels inside the element (by alpha) change. */
  maskToAlpha: boolean;
  /** Longest side of the result, px (default: the source's); at most 4096. */
  size?: number;
  /** Longest side of one network pass; larger octaves are computed on tiles (tiled-gradient.ts). */
  maxPassSize: number;
  /** start = 'noise': Adam steps on the Fourier image, at noiseSize px (longest side), lr noiseLearningRate. */
  noiseSteps: number;
  noiseSize: number;
  noiseLearningRate: number;
  /** A preview every this many steps (0 = none). */
  previewEvery: number;
}

/**
 * Defaults: a recognisable dream of a 512 px image in about 15 s on a laptop CPU (WASM, MobileNetV2 "Patterns":
 * 4 octaves of 10 steps). stepSize 0.012 moves pixels by ~3/255 per step; jitter 32 px is the lecture's value.
 */
export const DREAM_DEFAULTS: Readonly<DreamParams> = Object.freeze({
  layer: 'Patterns',
  objective: Object.freeze({ kind: 'layer' }) as DreamObjective,
  start: 'image',
  octaves: 4,
  octaveScale: 1.4,
  stepsPerOctave: 10,
  stepSize: 0.012,
  jitter: 32,
  detailStrength: 1,
  seed: 0,
  maskToAlpha: true,
  maxPassSize: 512,
  noiseSteps: 256,
  noiseSize: 224,
  noiseLearningRate: 0.08,
  previewEvery: 5,
});

export const MAX_DREAM_SIDE = 4096;
/** Octaves whose shorter side would fall below this are skipped (too small for the deeper layers to see anything). */
const MIN_OCTAVE_SIDE = 48;
const PREVIEW_MAX_SIDE = 512;

/** Only these parts of a job's context are used (the type gains fields the dream does not need). */
export type DreamContext = Pick<JobContext, 'signal' | 'onProgress' | 'finishEarly'>;

export interface DreamResult {
  image: RgbaImage;
  /** Steps actually run (noise stage and octaves), fewer than asked after "stop and keep". */
  stepsRun: number;
  ended: 'steps' | 'finished-early';
  /** What was ascended, e.g. "layer block_6". */
  description: string;
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new PasticheError('bad-params', message);
}

function validate(p: DreamParams): void {
  const int = (v: number) => Number.isInteger(v);
  check(int(p.octaves) && p.octaves >= 1 && p.octaves <= 10, `Octaves must be a whole number from 1 to 10 (got ${p.octaves}).`);
  check(p.octaveScale >= 1.05 && p.octaveScale <= 3, `Octave scale must be between 1.05 and 3 (got ${p.octaveScale}).`);
  check(int(p.stepsPerOctave) && p.stepsPerOctave >= 0 && p.stepsPerOctave <= 1000, `Steps per octave must be a whole number from 0 to 1000 (got ${p.stepsPerOctave}).`);
  check(p.stepSize > 0 && p.stepSize <= 0.5, `Step size must be above 0 and at most 0.5 (got ${p.stepSize}).`);
  check(int(p.jitter) && p.jitter >= 0 && p.jitter <= 256, `Jitter must be a whole number of pixels from 0 to 256 (got ${p.jitter}).`);
  check(p.detailStrength >= 0 && p.detailStrength <= 2, `Detail strength must be between 0 and 2 (got ${p.detailStrength}).`);
  check(Number.isFinite(p.seed), `Seed must be a number (got ${p.seed}).`);
  check(int(p.maxPassSize) && p.maxPassSize >= 64 && p.maxPassSize <= 2048, `Pass size must be a whole number from 64 to 2048 (got ${p.maxPassSize}).`);
  check(int(p.noiseSteps) && p.noiseSteps >= 0 && p.noiseSteps <= 5000, `Noise steps must be a whole number from 0 to 5000 (got ${p.noiseSteps}).`);
  check(int(p.noiseSize) && p.noiseSize >= 32 && p.noiseSize <= 512, `Noise size must be a whole number from 32 to 512 (got ${p.noiseSize}).`);
  check(p.noiseLearningRate > 0 && p.noiseLearningRate <= 1, `Noise learning rate must be above 0 and at most 1 (got ${p.noiseLearningRate}).`);
  check(int(p.previewEvery) && p.previewEvery >= 0, `Preview interval must be a whole number ≥ 0 (got ${p.previewEvery}).`);
  if (p.size !== undefined) {
    check(int(p.size) && p.size >= 1, `Size must be a whole number of pixels (got ${p.size}).`);
    if (p.size > MAX_DREAM_SIDE) throw new PasticheError('too-large', `DeepDream works up to ${MAX_DREAM_SIDE} px a side (asked ${p.size} px).`);
  }
}

/** Octave sizes, smallest first, ending with the full size. */
export function octaveSizes(width: number, height: number, octaves: number, octaveScale: number): { width: number; height: number }[] {
  const sizes: { width: number; height: number }[] = [];
  for (let k = octaves - 1; k >= 0; k--) {
    const f = octaveScale ** -k;
    const size = { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)) };
    if (k === 0 || Math.min(size.width, size.height) >= MIN_OCTAVE_SIDE) sizes.push(size);
  }
  return sizes;
}

/** `image` resized to `size` through steps of at most `octaveScale` (plain bilinear would alias below 1/2). */
function downscale(image: tf.Tensor4D, size: { width: number; height: number }, octaveScale: number): tf.Tensor4D {
  return tf.tidy(() => {
    let x = image;
    for (;;) {
      const [, h, w] = x.shape;
      const ratio = Math.max(h / size.height, w / size.width);
      if (ratio <= octaveScale + 1e-6) return resizeTo(x, size.height, size.width);
      x = tf.image.resizeBilinear(x, [Math.round(h / octaveScale), Math.round(w / octaveScale)], true);
    }
  });
}

async function preview(rgb: tf.Tensor4D, alpha: tf.Tensor4D): Promise<RgbaImage> {
  const [, h, w] = rgb.shape;
  const fit = Math.max(h, w) > PREVIEW_MAX_SIDE ? fitLongestSide(w, h, PREVIEW_MAX_SIDE) : { width: w, height: h };
  const [small, a] = tf.tidy(() => [resizeTo(rgb, fit.height, fit.width), tf.squeeze(resizeTo(alpha, fit.height, fit.width), [0]) as tf.Tensor3D]);
  try {
    return await joinRgbAlpha(small, a);
  } finally {
    tf.dispose([small, a]);
  }
}

function isDreamNetwork(net: DreamNetwork | MobileNetV2 | DarknetTiny): net is DreamNetwork {
  return 'presets' in net;
}

/**
 * Dreams `source` with `net` (a DreamNetwork, or MobileNetV2 / Darknet Tiny, adapted on the fly). Missing params
 * take DREAM_DEFAULTS. Throws a typed "cancelled" error on cancel; returns what it has on "stop and keep".
 */
export async function dream(network: DreamNetwork | MobileNetV2 | DarknetTiny, source: RgbaImage, params: Partial<DreamParams>, context: DreamContext): Promise<DreamResult> {
  const p: DreamParams = { ...DREAM_DEFAULTS, ...params };
  validate(p);
  assertNotEmpty(source, 'The image to dream');
  const longest = p.size ?? Math.max(source.width, source.height);
  if (longest > MAX_DREAM_SIDE) throw new PasticheError('too-large', `DeepDream works up to ${MAX_DREAM_SIDE} px a side (this image is ${longest} px).`);
  const net = isDreamNetwork(network) ? network : dreamNetwork(network);
  const objective = resolveObjective(net, p.layer, p.objective);
  useFastGradients();
  useHeapSlices(); // tiles and jitter slice images of up to 4096 px: without a copy of the whole image each time
  return withKernelCache(() => runDream(objective, source, p, longest, context));
}

async function runDream(objective: ResolvedObjective, source: RgbaImage, p: DreamParams, longest: number, context: DreamContext): Promise<DreamResult> {
  const { width, height } = longest === Math.max(source.width, source.height) ? source : fitLongestSide(source.width, source.height, longest);
  const random = seededRandom(p.seed);
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const release = (t: tf.Tensor | null) => {
    if (!t) return;
    const i = owned.indexOf(t);
    if (i >= 0) owned.splice(i, 1);
    t.dispose();
  };
  try {
    const split = splitRgbAlpha(source);
    const rgb = own(resizeTo(split.rgb, height, width));
    const alpha = own(tf.tidy(() => resizeTo(tf.expandDims(split.alpha, 0) as tf.Tensor4D, height, width)));
    tf.dispose([split.rgb, split.alpha]);
    const minAlpha = tf.min(alpha);
    const needsMask = p.maskToAlpha && (await minAlpha.data())[0] < 1;
    minAlpha.dispose();
    const mask = needsMask ? alpha : null;

    // What the job will do, for a progress bar weighted by work (pixels × steps).
    const noise = p.start === 'noise' ? fitLongestSide(width, height, Math.min(p.noiseSize, longest)) : null;
    const octaves = octaveSizes(width, height, p.octaves, p.octaveScale).filter((o) => !noise || Math.max(o.width, o.height) > Math.max(noise.width, noise.height) * 1.05);
    const noiseWork = noise && p.noiseSteps > 0 ? p.noiseSteps * noise.width * noise.height * 1.5 : 0;
    const octaveWork = octaves.map((o) => p.stepsPerOctave * o.width * o.height);
    const total = noiseWork + octaveWork.reduce((a, b) => a + b, 0) || 1;
    let done = 0;
    const range = (work: number): [number, number] => [done / total, (done += work) / total];

    let stepsRun = 0;
    const state: { ended: DreamResult['ended'] } = { ended: 'steps' };
    const runLoop = async (optimizer: ImageOptimizer, steps: number, work: number, alphaHere: tf.Tensor4D, describeStep: (s: number, n: number) => string) => {
      try {
        const outcome = await runOptimizationLoop(optimizer, context, {
          steps,
          previewEvery: p.previewEvery,
          toPreview: (image) => preview(image, alphaHere),
          progressRange: range(work),
          describeStep,
          keep: 'last',
        });
        stepsRun += outcome.stepsRun;
        if (outcome.ended === 'finished-early') state.ended = 'finished-early';
        return outcome.image;
      } finally {
        optimizer.dispose();
      }
    };

    // The image the octaves dream into: the source, or a visualisation grown from noise.
    let start = rgb;
    if (noise) {
      let grown: tf.Tensor4D;
      if (p.noiseSteps > 0) {
        const small = own(resizeTo(alpha, noise.height, noise.width));
        const optimizer = createNoiseDream(objective, noise.height, noise.width, { random, learningRate: p.noiseLearningRate, robustness: LUCID_ROBUSTNESS });
        grown = own(await runLoop(optimizer, p.noiseSteps, noiseWork, small, (s, n) => `from noise · step ${s} of ${n}`));
        release(small);
      } else {
        grown = own(tf.tidy(() => tf.sigmoid(tf.randomNormal([1, noise.height, noise.width, 3], 0, 0.1, 'float32', Math.floor(random() * 2 ** 31)))) as tf.Tensor4D);
      }
      start = own(tf.tidy(() => resizeTo(grown, height, width)));
      release(grown);
    }

    // Octaves, smallest first; `detail` is what the last octave added to its base.
    let detail: tf.Tensor4D | null = null;
    let detailIsFull = false;
    for (const [i, size] of octaves.entries()) {
      if (state.ended === 'finished-early' || p.stepsPerOctave === 0) break;
      const base = own(downscale(start, size, p.octaveScale));
      const image = own(
        tf.tidy(() => (detail ? (tf.clipByValue(tf.add(base, tf.mul(resizeTo(detail, size.height, size.width), p.detailStrength)), 0, 1) as tf.Tensor4D) : tf.clone(base))),
      );
      const maskHere = mask ? own(resizeTo(mask, size.height, size.width)) : null;
      const alphaHere = maskHere ?? own(resizeTo(alpha, size.height, size.width));
      const optimizer = createDreamStep(objective, image, { stepSize: p.stepSize, jitter: p.jitter, maxPassSize: p.maxPassSize, random, mask: maskHere ?? undefined });
      release(image);
      const describe = octaves.length > 1 ? (s: number, n: number) => `octave ${i + 1} of ${octaves.length} · step ${s} of ${n}` : undefined;
      const dreamed = own(await runLoop(optimizer, p.stepsPerOctave, octaveWork[i], alphaHere, describe ?? ((s, n) => `step ${s} of ${n}`)));
      release(detail);
      detail = own(tf.sub(dreamed, base) as tf.Tensor4D);
      detailIsFull = size.width === width && size.height === height;
      release(dreamed);
      release(base);
      release(maskHere);
      if (alphaHere !== maskHere) release(alphaHere);
    }

    // The result at full size: start + detail (the last octave's, upsampled after a stop-and-keep), composited over
    // the source by the mask so that the outside of the element is the source exactly.
    const result = own(
      tf.tidy(() => {
        let dreamed: tf.Tensor4D = detail ? (tf.add(start, detailIsFull ? detail : resizeTo(detail, height, width)) as tf.Tensor4D) : start;
        dreamed = tf.clipByValue(dreamed, 0, 1);
        return mask ? (tf.add(rgb, tf.mul(mask, tf.sub(dreamed, rgb))) as tf.Tensor4D) : dreamed === start ? tf.clone(start) : dreamed;
      }),
    );
    const alpha3 = own(tf.squeeze(alpha, [0]) as tf.Tensor3D);
    const image = await joinRgbAlpha(result, alpha3);
    context.onProgress({ fraction: 1, message: state.ended === 'finished-early' ? 'stopped · kept' : 'done' });
    return { image, stepsRun, ended: state.ended, description: objective.description };
  } finally {
    tf.dispose(owned);
  }
}

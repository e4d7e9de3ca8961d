// t-SNE (van der Maaten & Hinton 2008) of embeddings to 2-D: our own exact implementation, seeded so the same
// images give the same map.
//
// Why our own: the library used before (druidjs) is LGPL-3.0-or-later, and the plugin (MIT) ships as one inlined
// HTML file in which a user cannot swap a library for their own build, as the LGPL requires. Exact t-SNE is small.
// Why exact (O(n²) per iteration) and not Barnes-Hut: *Arrange by similarity* maps the selected layers, a few
// hundred at most, where the n² loops over flat Float64Arrays take well under a second or two (see the timings
// logged by test/unit/explore-tsne.test.ts), and exact gradients need no tree nor its accuracy knob.
//
// The recipe is the paper's, with the optimiser of its reference implementation (and of karpathy's tsnejs):
// - P: per-point Gaussians calibrated to the perplexity, symmetrised (affinities.ts). Perplexity adapts to the
//   count: min(30, (n − 1) / 3), at least 1 (a perplexity near n would make every point everyone's neighbour);
// - Q: a Student-t (one degree of freedom) over the map, whose heavy tail lets clusters separate;
// - gradient descent with momentum (0.5, then 0.8) and per-coordinate gains (grow by 0.2 while the gradient keeps
//   its direction, shrink ×0.8 when it flips), from a tiny seeded Gaussian start;
// - early exaggeration: P × 12 for the first iterations, so clusters form before their fine layout.
// The loop yields to the event loop every few iterations so a cancel can arrive, and reports progress.
import { throwIfAborted } from '../errors';
import type { JobContext } from '../job';
import { seededRandom, type Random } from '../random';
import { jointProbabilities, squaredDistances } from './affinities';

export interface TsneOptions {
  seed: number;
  /** Default: tsnePerplexity(n). */
  perplexity?: number;
  iterations: number;
  /** Learning rate (tsnejs's epsilon; 10 converges in 500 iterations for a few hundred points, thanks to the gains). */
  epsilon: number;
  /** The part of the job's progress bar this fills. */
  progressRange?: readonly [number, number];
}

export const DEFAULT_TSNE: TsneOptions = { seed: 1, iterations: 500, epsilon: 10 };

export type Point = [number, number];

export function tsnePerplexity(n: number): number {
  return Math.max(1, Math.min(30, (n - 1) / 3));
}

/** Iterations between yields to the event loop (and progress reports). */
const CHUNK = 25;
/** Early exaggeration: its factor on P and how many iterations it lasts. */
const EXAGGERATION = 12;
const EXAGGERATION_ITERATIONS = 100;
/** Momentum before and after the switch (the reference implementation's 0.5 → 0.8 at iteration 250). */
const MOMENTUM_EARLY = 0.5;
const MOMENTUM_LATE = 0.8;
const MOMENTUM_SWITCH = 250;
/** Gains never shrink below this (a coordinate always keeps moving a little). */
const MIN_GAIN = 0.01;
/** Spread of the starting map: tiny, so the first iterations see every pair at Student-t similarity ≈ 1. */
const INITIAL_SPREAD = 1e-4;
/** Module locals, not global lookups in the hot loops (slow inside Node's vm, as under Jest). */
const { max, sign } = Math;

/** A standard normal draw (Box-Muller) from a seeded uniform generator. */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** The KL(P‖Q) gradient of the 2-D map `y` (n × 2, flat) into `gradient`; P is scaled by `exaggeration`.
 *  dC/dy_i = 4 Σ_j (P_ij − k_ij / Z) k_ij (y_i − y_j), with k_ij = 1 / (1 + ‖y_i − y_j‖²) and Z = Σ k: the
 *  attractive (P) and repulsive (k² / Z) parts are summed apart so one pass over the pairs, each pair once, does. */
function klGradient(y: Float64Array, p: Float64Array, n: number, exaggeration: number, repulsion: Float64Array, gradient: Float64Array): void {
  gradient.fill(0);
  repulsion.fill(0);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const xi = y[2 * i];
    const yi = y[2 * i + 1];
    const row = i * n;
    let ax = 0;
    let ay = 0;
    let rx = 0;
    let ry = 0;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - y[2 * j];
      const dy = yi - y[2 * j + 1];
      const k = 1 / (1 + dx * dx + dy * dy);
      z += 2 * k;
      const pull = p[row + j] * k;
      const push = k * k;
      ax += pull * dx;
      ay += pull * dy;
      rx += push * dx;
      ry += push * dy;
      gradient[2 * j] -= pull * dx;
      gradient[2 * j + 1] -= pull * dy;
      repulsion[2 * j] -= push * dx;
      repulsion[2 * j + 1] -= push * dy;
    }
    gradient[2 * i] += ax;
    gradient[2 * i + 1] += ay;
    repulsion[2 * i] += rx;
    repulsion[2 * i + 1] += ry;
  }
  for (let k = 0; k < gradient.length; k++) gradient[k] = 4 * (exaggeration * gradient[k] - repulsion[k] / z);
}

/** One step of momentum descent with per-coordinate gains, then the map re-centred on 0. */
function descend(y: Float64Array, gradient: Float64Array, velocity: Float64Array, gains: Float64Array, learningRate: number, momentum: number): void {
  for (let k = 0; k < y.length; k++) {
    // A gradient of the same sign as the last step means the step overshot (steps go against the gradient).
    const gain = sign(gradient[k]) === sign(velocity[k]) ? gains[k] * 0.8 : gains[k] + 0.2;
    gains[k] = max(MIN_GAIN, gain);
    velocity[k] = momentum * velocity[k] - learningRate * gains[k] * gradient[k];
    y[k] += velocity[k];
  }
  let cx = 0;
  let cy = 0;
  const n = y.length / 2;
  for (let i = 0; i < n; i++) {
    cx += y[2 * i];
    cy += y[2 * i + 1];
  }
  cx /= n;
  cy /= n;
  for (let i = 0; i < n; i++) {
    y[2 * i] -= cx;
    y[2 * i + 1] -= cy;
  }
}

/** 2-D positions, one per vector, in input order (arbitrary units, centred on 0). */
export async function tsne(vectors: readonly ArrayLike<number>[], context: Pick<JobContext, 'signal' | 'onProgress'>, options: Partial<TsneOptions> = {}): Promise<Point[]> {
  const o = { ...DEFAULT_TSNE, ...options };
  const [from, to] = o.progressRange ?? [0, 1];
  const n = vectors.length;
  throwIfAborted(context.signal);
  if (n === 0) return [];
  if (n === 1) return [[0, 0]];
  if (n === 2) return [[-1, 0], [1, 0]];
  const dimension = vectors[0].length;
  if (vectors.some((v) => v.length !== dimension)) throw new RangeError('tsne: vectors of different lengths');
  const flat = new Float64Array(n * dimension);
  vectors.forEach((v, i) => flat.set(v, i * dimension));
  const p = jointProbabilities(squaredDistances(flat, n, dimension), n, o.perplexity ?? tsnePerplexity(n));

  const random = seededRandom(o.seed);
  const y = Float64Array.from({ length: 2 * n }, () => INITIAL_SPREAD * gaussian(random));
  const velocity = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const gradient = new Float64Array(2 * n);
  const repulsion = new Float64Array(2 * n);
  for (let i = 1; i <= o.iterations; i++) {
    const exaggeration = i <= EXAGGERATION_ITERATIONS ? EXAGGERATION : 1;
    klGradient(y, p, n, exaggeration, repulsion, gradient);
    descend(y, gradient, velocity, gains, o.epsilon, i <= MOMENTUM_SWITCH ? MOMENTUM_EARLY : MOMENTUM_LATE);
    if (i % CHUNK === 0 || i === o.iterations) {
      context.onProgress({ fraction: from + ((to - from) * i) / o.iterations, message: `t-SNE ${i} of ${o.iterations}` });
      await new Promise((resolve) => setTimeout(resolve, 0));
      throwIfAborted(context.signal);
    }
  }
  return Array.from({ length: n }, (_, i) => [y[2 * i], y[2 * i + 1]] as Point);
}

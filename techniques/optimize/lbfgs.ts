// Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4 and 7.5) on flat Float32
// vectors, with a strong-Wolfe line search (Alg. 3.5/3.6, cubic interpolation). Backend-free: the function and
// its gradient are supplied by the caller (TF.js for images), so it is testable on known functions and reusable
// by every optimization technique (Gatys style, feature inversion, texture synthesis, DeepDream).

/** f(x) and ∇f(x). The returned gradient array is owned by the optimizer afterwards. */
export type ValueAndGradient = (x: Float32Array) => Promise<{ value: number; gradient: Float32Array }>;

export interface LbfgsOptions {
  /** Number of (s, y) pairs kept: the memory of the curvature model. */
  history?: number;
  /** Sufficient-decrease (Armijo) constant. */
  c1?: number;
  /** Curvature constant of the strong Wolfe conditions (0.9 is the usual choice for quasi-Newton). */
  c2?: number;
  /** Function evaluations allowed per line search. */
  maxLineSearchEvaluations?: number;
  /** Length (Euclidean) of the first trial step, taken along −∇f before any curvature is known. */
  firstStepLength?: number;
  /** Converged when ‖∇f‖∞ falls below this. */
  gradientTolerance?: number;
}

export interface LbfgsStep {
  /** f at the new iterate. */
  value: number;
  /** Function evaluations this iteration spent (line search included). */
  evaluations: number;
  /** True when the gradient is below tolerance or no decrease could be found: further steps do nothing. */
  converged: boolean;
}

export interface Lbfgs {
  /** One iteration: direction from the two-loop recursion, then a line search. */
  step(): Promise<LbfgsStep>;
  /** The current iterate (borrowed: do not modify; replaced, not mutated, by the next step). */
  readonly x: Float32Array;
  /** f(x), or NaN before the first step. */
  readonly value: number;
}

interface Point {
  x: Float32Array;
  value: number;
  gradient: Float32Array;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function maxAbs(a: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** x + a·d into a new array. */
function axpy(x: Float32Array, a: number, d: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + a * d[i];
  return out;
}

/** Minimizer of the cubic through (a, fa, ga) and (b, fb, gb), or NaN when it does not exist. */
function cubicMinimizer(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const square = d1 * d1 - ga * gb;
  if (!(square >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(square);
  return b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
}

export function createLbfgs(f: ValueAndGradient, x0: Float32Array, options: LbfgsOptions = {}): Lbfgs {
  const m = options.history ?? 10;
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxEvaluations = options.maxLineSearchEvaluations ?? 20;
  const gradientTolerance = options.gradientTolerance ?? 1e-7;
  const s: Float32Array[] = [];
  const y: Float32Array[] = [];
  const rho: number[] = [];
  let current: Point | null = null;
  let converged = false;

  const evaluate = async (x: Float32Array): Promise<Point> => {
    const { value, gradient } = await f(x);
    return { x, value, gradient };
  };

  /** −H∇f by the two-loop recursion, H0 = γI with γ = sᵀy / yᵀy of the newest pair. */
  const direction = (g: Float32Array): Float32Array => {
    const q = Float32Array.from(g);
    const alpha = new Array<number>(s.length);
    for (let i = s.length - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(s[i], q);
      for (let j = 0; j < q.length; j++) q[j] -= alpha[i] * y[i][j];
    }
    if (s.length > 0) {
      const newest = s.length - 1;
      const gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
      for (let j = 0; j < q.length; j++) q[j] *= gamma;
    }
    for (let i = 0; i < s.length; i++) {
      const beta = rho[i] * dot(y[i], q);
      for (let j = 0; j < q.length; j++) q[j] += s[i][j] * (alpha[i] - beta);
    }
    for (let j = 0; j < q.length; j++) q[j] = -q[j];
    return q;
  };

  /**
   * Strong-Wolfe line search along d from `start`. Returns the accepted point, or the best point with a
   * sufficient decrease found within the budget, or null when there is none.
   */
  const lineSearch = async (start: Point, d: Float32Array, firstStep: number): Promise<{ point: Point | null; evaluations: number }> => {
    const slope0 = dot(start.gradient, d);
    let evaluations = 0;
    let best: Point | null = null;
    const trial = async (a: number) => {
      evaluations++;
      const p = await evaluate(axpy(start.x, a, d));
      const slope = dot(p.gradient, d);
      const armijo = Number.isFinite(p.value) && p.value <= start.value + c1 * a * slope0;
      if (armijo && (!best || p.value < best.value)) best = p;
      return { a, p, slope, armijo };
    };
    const wolfe = (slope: number) => Math.abs(slope) <= -c2 * slope0;

    const zoom = async (lo: { a: number; value: number; slope: number }, hi: { a: number; value: number; slope: number }) => {
      while (evaluations < maxEvaluations) {
        const left = Math.min(lo.a, hi.a);
        const width = Math.abs(hi.a - lo.a);
        let a = cubicMinimizer(lo.a, lo.value, lo.slope, hi.a, hi.value, hi.slope);
        // Safeguard: stay well inside the bracket, else bisect.
        if (!Number.isFinite(a) || a < left + 0.1 * width || a > left + 0.9 * width) a = (lo.a + hi.a) / 2;
        const t = await trial(a);
        if (!t.armijo || t.p.value >= lo.value) {
          hi = { a, value: t.p.value, slope: t.slope };
        } else {
          if (wolfe(t.slope)) return t.p;
          if (t.slope * (hi.a - lo.a) >= 0) hi = lo;
          lo = { a, value: t.p.value, slope: t.slope };
        }
        if (Math.abs(hi.a - lo.a) < 1e-12 * Math.max(1, lo.a)) break;
      }
      return null;
    };

    let previous = { a: 0, value: start.value, slope: slope0 };
    let a = firstStep;
    while (evaluations < maxEvaluations) {
      const t = await trial(a);
      const here = { a, value: Number.isFinite(t.p.value) ? t.p.value : Infinity, slope: Number.isFinite(t.slope) ? t.slope : 0 };
      if (!t.armijo || (evaluations > 1 && here.value >= previous.value)) {
        const point = await zoom(previous, here);
        return { point: point ?? best, evaluations };
      }
      if (wolfe(t.slope)) return { point: t.p, evaluations };
      if (t.slope >= 0) {
        const point = await zoom(here, previous);
        return { point: point ?? best, evaluations };
      }
      previous = here;
      a *= 2; // still descending steeply: extrapolate
    }
    return { point: best, evaluations };
  };

  return {
    get x() {
      return current ? current.x : x0;
    },
    get value() {
      return current ? current.value : NaN;
    },
    async step() {
      let evaluations = 0;
      if (!current) {
        current = await evaluate(Float32Array.from(x0));
        evaluations++;
        if (!Number.isFinite(current.value)) throw new Error(`L-BFGS: f(x0) is ${current.value}`);
      }
      if (converged || maxAbs(current.gradient) <= gradientTolerance) {
        converged = true;
        return { value: current.value, evaluations, converged };
      }
      let d = direction(current.gradient);
      let slope = dot(d, current.gradient);
      if (!(slope < 0)) {
        // The curvature model went bad (rounding in float32): forget it and go downhill.
        s.length = y.length = rho.length = 0;
        d = direction(current.gradient);
        slope = dot(d, current.gradient);
      }
      const firstStep = s.length > 0 ? 1 : (options.firstStepLength ?? 1) / Math.sqrt(dot(d, d));
      const search = await lineSearch(current, d, firstStep);
      evaluations += search.evaluations;
      if (!search.point) {
        if (s.length > 0) {
          // Retry from steepest descent once before declaring we are stuck.
          s.length = y.length = rho.length = 0;
          return { value: current.value, evaluations, converged: false };
        }
        converged = true;
        return { value: current.value, evaluations, converged };
      }
      const next = search.point;
      const sk = new Float32Array(next.x.length);
      const yk = new Float32Array(next.x.length);
      for (let i = 0; i < sk.length; i++) {
        sk[i] = next.x[i] - current.x[i];
        yk[i] = next.gradient[i] - current.gradient[i];
      }
      const sy = dot(sk, yk);
      // Keep the pair only with positive curvature, so H stays positive definite.
      if (sy > 1e-10 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
        s.push(sk);
        y.push(yk);
        rho.push(1 / sy);
        if (s.length > m) {
          s.shift();
          y.shift();
          rho.shift();
        }
      }
      current = next;
      converged = maxAbs(current.gradient) <= gradientTolerance;
      return { value: current.value, evaluations, converged };
    },
  };
}

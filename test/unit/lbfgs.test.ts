// L-BFGS on functions with known minima. Pure numbers: no TF.js, so these run in milliseconds.
import { createLbfgs, type ValueAndGradient } from '../../techniques/optimize/lbfgs';

/** The n-dimensional Rosenbrock function (chained form): minimum 0 at (1, ..., 1), a curved narrow valley. */
const rosenbrock: ValueAndGradient = async (x) => {
  let value = 0;
  const gradient = new Float32Array(x.length);
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    value += 100 * a * a + b * b;
    gradient[i] += -400 * x[i] * a - 2 * b;
    gradient[i + 1] += 200 * a;
  }
  return { value, gradient };
};

async function run(f: ValueAndGradient, x0: number[], maxSteps: number, countCalls = { n: 0 }) {
  const counted: ValueAndGradient = (x) => {
    countCalls.n++;
    return f(x);
  };
  const opt = createLbfgs(counted, Float32Array.from(x0), { history: 10, gradientTolerance: 1e-5 });
  let last = { value: NaN, evaluations: 0, converged: false };
  let steps = 0;
  while (steps < maxSteps && !last.converged) {
    last = await opt.step();
    steps++;
  }
  return { x: Array.from(opt.x), value: last.value, steps, converged: last.converged };
}

test('minimizes the 2-D Rosenbrock function from (-1.2, 1) to its minimum (1, 1)', async () => {
  const calls = { n: 0 };
  const result = await run(rosenbrock, [-1.2, 1], 200, calls);
  expect(result.value).toBeLessThan(1e-8);
  expect(result.x[0]).toBeCloseTo(1, 3);
  expect(result.x[1]).toBeCloseTo(1, 3);
  // Gradient descent needs thousands of steps here; a working quasi-Newton method needs tens.
  expect(result.steps).toBeLessThan(80);
  expect(calls.n).toBeLessThan(200);
});

test('minimizes a 100-D Rosenbrock function', async () => {
  const x0 = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
  const result = await run(rosenbrock, x0, 2000);
  expect(result.value).toBeLessThan(1e-6);
  for (const xi of result.x) expect(Math.abs(xi - 1)).toBeLessThan(1e-2);
});

test('makes fast progress on an ill-conditioned quadratic (condition number 1e4)', async () => {
  const n = 50;
  const scales = Array.from({ length: n }, (_, i) => 10 ** ((4 * i) / (n - 1)));
  const quadratic: ValueAndGradient = async (x) => {
    let value = 0;
    const gradient = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      value += 0.5 * scales[i] * (x[i] - 3) ** 2;
      gradient[i] = scales[i] * (x[i] - 3);
    }
    return { value, gradient };
  };
  const start = (await quadratic(new Float32Array(n))).value;
  const result = await run(quadratic, new Array(n).fill(0), 200);
  // Gradient descent with its best fixed step (1/L) contracts the slowest mode by (1 − 1e-4) a step: after
  // 200 steps it keeps ~98% of that mode. L-BFGS's curvature model must do far better (measured: ~1e-8 × start).
  expect(result.value).toBeLessThan(1e-6 * start);
});

test('every step decreases the function (monotone, thanks to the Wolfe line search)', async () => {
  const opt = createLbfgs(rosenbrock, Float32Array.from([-1.2, 1]));
  let previous = Infinity;
  for (let i = 0; i < 30; i++) {
    const { value } = await opt.step();
    expect(value).toBeLessThanOrEqual(previous);
    previous = value;
  }
});

test('a function with no descent stops as converged instead of looping', async () => {
  const flat: ValueAndGradient = async (x) => ({ value: 1, gradient: new Float32Array(x.length) });
  const result = await run(flat, [0, 0], 10);
  expect(result.converged).toBe(true);
  expect(result.steps).toBe(1);
});

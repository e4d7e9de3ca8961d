// The pixel-scale term of the neural texture objective (techniques/texture/fine-histogram.ts): zero on the sample
// itself, large on a 2-px checkerboard laid over it, and the weighted gradient it adds is the derivative of its
// weighted value.
import { createFineHistogram } from '../../techniques/texture/fine-histogram';
import { toRgbFloat } from '../../techniques/texture/pixels';
import { seededRandom } from '../../techniques/random';
import { textureSample } from '../support/texture-quality';

test('zero on the sample, large with a checkerboard over it (what the term removes)', () => {
  const sample = toRgbFloat(textureSample('brick', 64));
  const term = createFineHistogram(sample);
  const value = (x: Float32Array) => term.accumulate(x, sample.width, sample.height, false, new Float32Array(x.length), 1);
  expect(value(sample.rgb)).toBeCloseTo(0, 10);
  const hatched = sample.rgb.map((v, i) => {
    const p = Math.floor(i / 3);
    return v + (((p % sample.width) + Math.floor(p / sample.width)) % 2 ? 0.04 : -0.04);
  });
  expect(value(hatched)).toBeGreaterThan(1);
});

test('the gradient matches central differences, periodic or bounded', () => {
  const random = seededRandom(3);
  const sample = { width: 20, height: 17, rgb: Float32Array.from({ length: 20 * 17 * 3 }, () => random()) };
  const term = createFineHistogram(sample);
  const [w, h] = [13, 11];
  for (const periodic of [true, false]) {
    const x = Float32Array.from({ length: w * h * 3 }, () => random());
    const value = (at: Float32Array, gradient = new Float32Array(at.length)) => term.accumulate(at, w, h, periodic, gradient, 2);
    const gradient = new Float32Array(x.length).fill(1); // added to: what was there stays
    value(x, gradient);
    for (const i of [0, 5, 40, 100, 200, 300, w * h * 3 - 1]) {
      const e = 1e-3;
      const up = Float32Array.from(x);
      const down = Float32Array.from(x);
      up[i] += e;
      down[i] -= e;
      const numeric = (value(up) - value(down)) / (2 * e);
      expect(Math.abs(numeric - (gradient[i] - 1))).toBeLessThanOrEqual(0.02 * Math.abs(numeric) + 1e-6);
    }
  }
});

// The lecture's three tricks each do what they say: jitter (a circular shift undone after the step), normalised
// ascent (mean |Δ| = stepSize), clipping (pixels stay in 0..1); and a seed fixes the result.
import * as tf from '@tensorflow/tfjs';
import type { DarknetTiny } from '../../models/networks/darknet-tiny';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { dream } from '../../techniques/dream/dream';
import { useFastGradients, withKernelCache } from '../../techniques/optimize/fast-gradients';
import { roll } from '../../techniques/dream/image-ops';
import { type DreamNetwork, dreamNetwork } from '../../techniques/dream/network';
import { resolveObjective } from '../../techniques/dream/objective';
import { createDreamStep } from '../../techniques/dream/step';
import { objectiveGradient } from '../../techniques/dream/tiled-gradient';
import { seededRandom } from '../../techniques/random';
import { photo, quietContext, rgbOf } from '../support/dream-images';
import { dreamTestSetup } from '../support/dream-networks';

jest.setTimeout(120_000);

let mobilenet: MobileNetV2;
let darknet: DarknetTiny;
let mob: DreamNetwork;

beforeAll(async () => {
  ({ mobilenet, darknet } = await dreamTestSetup());
  mob = dreamNetwork(mobilenet);
  useFastGradients();
});
afterAll(() => {
  mobilenet?.dispose();
  darknet?.dispose();
});

describe('jitter', () => {
  it('roll moves pixel (y, x) to (y + dy, x + dx) circularly, and rolling back restores the image', () => {
    tf.tidy(() => {
      const x = tf.reshape(tf.range(0, 5 * 7 * 2), [1, 5, 7, 2]) as tf.Tensor4D;
      const rolled = roll(x, 2, -3);
      const a = x.arraySync()[0];
      const b = rolled.arraySync()[0];
      for (let y = 0; y < 5; y++) for (let c = 0; c < 7; c++) expect(b[(y + 2) % 5][(c - 3 + 7) % 7]).toEqual(a[y][c]);
      expect(roll(rolled, -2, 3).arraySync()).toEqual(x.arraySync());
      expect(roll(x, 12, 14).arraySync()).toEqual(roll(x, 2, 0).arraySync()); // whole turns
    });
  });

  it('a step ascends the gradient of the shifted image, shifted back; shifts cover [−J, J]', async () => {
    const source = await photo(64, 48);
    const objective = resolveObjective(mob, 'block_3', { kind: 'layer' });
    const start = rgbOf(source);
    const shifts: number[] = [];
    await withKernelCache(async () => {
      const step = createDreamStep(objective, start, { stepSize: 0.01, jitter: 8, maxPassSize: 512, random: seededRandom(5) });
      let before = tf.clone(start);
      for (let i = 0; i < 40; i++) {
        await step.step();
        const [dy, dx] = step.lastShift;
        shifts.push(dy, dx);
        if (i < 3) {
          // The same update computed by hand: gradient at the rolled image, rolled back, normalised, clipped.
          const expected = tf.tidy(() => {
            const { value, gradient } = objectiveGradient(objective, roll(before, dy, dx), { maxPassSize: 512 });
            value.dispose();
            const g = roll(gradient, -dy, -dx);
            return tf.clipByValue(tf.add(before, tf.mul(g, tf.div(0.01, tf.add(tf.mean(tf.abs(g)), 1e-12)))), 0, 1);
          });
          const error = tf.tidy(() => tf.max(tf.abs(tf.sub(expected, step.evaluated()))).dataSync()[0]);
          expected.dispose();
          expect(error).toBeLessThan(1e-5);
        }
        before.dispose();
        before = tf.clone(step.evaluated());
      }
      before.dispose();
      step.dispose();
    });
    start.dispose();
    expect(Math.min(...shifts)).toBe(-8);
    expect(Math.max(...shifts)).toBe(8);
    expect(new Set(shifts).size).toBeGreaterThan(12);
  });
});

describe('normalised gradient ascent and clipping', () => {
  it('moves pixels by stepSize on average (mean |Δ| / stepSize measured, away from the clip)', async () => {
    const source = await photo(96, 64);
    const ratios: string[] = [];
    await withKernelCache(async () => {
      for (const [net, layer] of [
        [mob, 'block_6'],
        [dreamNetwork(darknet), 'conv8'],
      ] as const) {
        for (const stepSize of [0.002, 0.01]) {
          // Mid-grey contrast (0.3..0.7) so that no pixel reaches the clip in one step.
          const start = tf.tidy(() => tf.add(tf.mul(rgbOf(source), 0.4), 0.3) as tf.Tensor4D);
          const step = createDreamStep(resolveObjective(net, layer, { kind: 'layer' }), start, { stepSize, jitter: 4, maxPassSize: 512, random: seededRandom(1) });
          await step.step();
          const meanDelta = tf.tidy(() => tf.mean(tf.abs(tf.sub(step.evaluated(), start))).dataSync()[0]);
          ratios.push(`${net.id} ${layer} ${stepSize}: ${(meanDelta / stepSize).toFixed(4)}`);
          expect(meanDelta / stepSize).toBeGreaterThan(0.999);
          expect(meanDelta / stepSize).toBeLessThan(1.001);
          step.dispose();
          start.dispose();
        }
      }
    });
    console.log(`[dream] mean |Δ| / stepSize after one step: ${ratios.join('; ')}`);
  });

  it('with a mask, the mean |Δ| inside the mask is stepSize and the outside does not move', async () => {
    const source = await photo(64, 64);
    await withKernelCache(async () => {
      const start = tf.tidy(() => tf.add(tf.mul(rgbOf(source), 0.4), 0.3) as tf.Tensor4D);
      const mask = tf.tidy(() => tf.concat([tf.ones([1, 64, 32, 1]), tf.zeros([1, 64, 32, 1])], 2) as tf.Tensor4D);
      const step = createDreamStep(resolveObjective(mob, 'block_3', { kind: 'layer' }), start, { stepSize: 0.01, jitter: 4, maxPassSize: 512, random: seededRandom(1), mask });
      await step.step();
      const [inside, outside] = tf.tidy(() => {
        const delta = tf.abs(tf.sub(step.evaluated(), start));
        return [tf.mean(tf.slice(delta, [0, 0, 0, 0], [1, 64, 32, 3])).dataSync()[0], tf.max(tf.slice(delta, [0, 0, 32, 0], [1, 64, 32, 3])).dataSync()[0]];
      });
      expect(inside / 0.01).toBeCloseTo(1, 3);
      expect(outside).toBe(0);
      step.dispose();
      tf.dispose([start, mask]);
    });
  });

  it('clips: a huge step leaves every pixel in [0, 1], and many at the bounds', async () => {
    const source = await photo(64, 48);
    await withKernelCache(async () => {
      const start = rgbOf(source);
      const step = createDreamStep(resolveObjective(mob, 'block_3', { kind: 'layer' }), start, { stepSize: 0.5, jitter: 0, maxPassSize: 512, random: seededRandom(1) });
      await step.step();
      const [min, max, atBounds] = tf.tidy(() => {
        const x = step.evaluated();
        return [tf.min(x).dataSync()[0], tf.max(x).dataSync()[0], tf.mean(tf.cast(tf.logicalOr(tf.equal(x, 0), tf.equal(x, 1)), 'float32')).dataSync()[0]];
      });
      expect(min).toBe(0);
      expect(max).toBe(1);
      expect(atBounds).toBeGreaterThan(0.2);
      step.dispose();
      start.dispose();
    });
  });
});

describe('seeds', () => {
  it('the same seed gives the same image twice; different seeds give different images', async () => {
    const source = await photo(96, 64);
    const params = { octaves: 2, stepsPerOctave: 4, size: 96 };
    const a = await dream(mob, source, { ...params, seed: 1 }, quietContext());
    const b = await dream(mob, source, { ...params, seed: 1 }, quietContext());
    const c = await dream(mob, source, { ...params, seed: 2 }, quietContext());
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    let differing = 0;
    for (let i = 0; i < a.image.data.length; i++) if (a.image.data[i] !== c.image.data[i]) differing++;
    console.log(`[dream] seeds 1 vs 2: ${((100 * differing) / a.image.data.length).toFixed(1)}% of bytes differ`);
    expect(differing / a.image.data.length).toBeGreaterThan(0.3);
  });
});

// Tiled gradients (techniques/dream/tiled-gradient.ts): cores partition the image, the tiled gradient equals the
// single-pass gradient where the margin covers the receptive field, and a dream larger than one pass shows no tile
// grid. The bar is a 2048 px dream; a unit test cannot afford it (~11 s a step on this CPU), so the grid
// test dreams 512 px with 160 px passes (24 tiles a step) — the same code path, more tile lines per pixel.
import * as tf from '@tensorflow/tfjs';
import type { DarknetTiny } from '../../models/networks/darknet-tiny';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { useFastGradients, withKernelCache } from '../../techniques/optimize/fast-gradients';
import { type DreamNetwork, dreamNetwork } from '../../techniques/dream/network';
import { type DreamObjective, resolveObjective } from '../../techniques/dream/objective';
import { createDreamStep } from '../../techniques/dream/step';
import { objectiveGradient, planTiles } from '../../techniques/dream/tiled-gradient';
import { seededRandom } from '../../techniques/random';
import { photo, rgbOf } from '../support/dream-images';
import { dreamTestSetup } from '../support/dream-networks';

jest.setTimeout(180_000);

let mobilenet: MobileNetV2;
let darknet: DarknetTiny;
let mob: DreamNetwork;
let dark: DreamNetwork;

beforeAll(async () => {
  ({ mobilenet, darknet } = await dreamTestSetup());
  mob = dreamNetwork(mobilenet);
  dark = dreamNetwork(darknet);
  useFastGradients();
});
afterAll(() => {
  mobilenet?.dispose();
  darknet?.dispose();
});

describe('planTiles', () => {
  it('cuts cores that partition the image, windows = cores ± margin, all on the stride grid, within one pass', () => {
    for (const [height, width] of [
      [512, 768],
      [96, 2048],
      [336, 336],
    ]) {
      for (const offset of [
        [0, 0],
        [37, 250],
        [511, 3],
      ] as [number, number][]) {
        const target = { stride: 16, receptiveField: 75 };
        const plan = planTiles(height, width, target, { maxPassSize: 256, gridOffset: offset });
        expect(plan.margin).toBe(64); // the 80 px the field needs, capped at a quarter pass
        expect(plan.exact).toBe(false);
        for (const [axis, size] of [
          [plan.rows, height],
          [plan.columns, width],
        ] as const) {
          expect(axis[0].start).toBe(0);
          expect(axis[axis.length - 1].end).toBe(size);
          axis.forEach((t, i) => {
            if (i > 0) expect(t.start).toBe(axis[i - 1].end);
            for (const v of [t.start, t.end, t.windowStart, t.windowEnd]) expect(v % 16 === 0 || v === size).toBe(true);
            expect(t.windowStart).toBe(Math.max(0, t.start - plan.margin));
            expect(t.windowEnd).toBe(Math.min(size, t.end + plan.margin));
            expect(t.windowEnd - t.windowStart).toBeLessThanOrEqual(256);
          });
        }
      }
    }
    expect(planTiles(256, 320, { stride: 8, receptiveField: 59 }, { maxPassSize: 256 }).exact).toBe(true);
    expect(planTiles(256, 256, { stride: 8, receptiveField: 59 }, { maxPassSize: 256 }).rows).toHaveLength(1); // one pass
  });
});

describe('tiled gradient = single-pass gradient where the margin covers the receptive field', () => {
  const relative = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.div(tf.norm(tf.sub(a, b)), tf.norm(b)).dataSync()[0]);
  const cases: [string, () => DreamNetwork, string, DreamObjective, number, [number, number]][] = [
    ['MobileNetV2 layer block_5 (field 59 px)', () => mob, 'block_5', { kind: 'layer' }, 256, [320, 256]],
    ['MobileNetV2 channel 3 of block_5', () => mob, 'block_5', { kind: 'channel', channel: 3 }, 256, [320, 256]],
    ['Darknet layer conv8 (field 46 px)', () => dark, 'conv8', { kind: 'layer' }, 256, [320, 256]],
    ['Darknet class 1 (field 134 px)', () => dark, 'conv8', { kind: 'class', classIndex: 1 }, 608, [672, 480]],
  ];
  it.each(cases)('%s', async (name, net, layer, objective, pass, [width, height]) => {
    const source = await photo(width, height);
    const image = rgbOf(source);
    const resolved = resolveObjective(net(), layer, objective);
    const errors: number[] = [];
    await withKernelCache(async () => {
      const single = objectiveGradient(resolved, image, { maxPassSize: 2048 });
      for (const gridOffset of [
        [0, 0],
        [40, 112],
        [200, 8],
      ] as [number, number][]) {
        const plan = planTiles(height, width, resolved.target, { maxPassSize: pass, gridOffset });
        expect(plan.exact).toBe(true);
        expect(plan.rows.length * plan.columns.length).toBeGreaterThan(3);
        const tiled = objectiveGradient(resolved, image, { maxPassSize: pass, gridOffset });
        errors.push(relative(tiled.gradient, single.gradient));
        tf.dispose([tiled.value, tiled.gradient]);
      }
      tf.dispose([single.value, single.gradient]);
    });
    image.dispose();
    console.log(`[dream] tiled vs single pass, ${name}, ${width}x${height}, passes of ${pass} px: relative errors ${errors.map((e) => e.toExponential(1)).join(', ')}`);
    for (const e of errors) expect(e).toBeLessThan(1e-3);
  });

  it('reports the error where the field exceeds the margin (MobileNetV2 block_12: 267 px field, 64 px margin)', async () => {
    const image = rgbOf(await photo(320, 256));
    const resolved = resolveObjective(mob, 'block_12', { kind: 'layer' });
    await withKernelCache(async () => {
      const single = objectiveGradient(resolved, image, { maxPassSize: 2048 });
      const tiled = objectiveGradient(resolved, image, { maxPassSize: 256, gridOffset: [40, 112] });
      const error = relative(tiled.gradient, single.gradient);
      console.log(`[dream] tiled vs single pass beyond the margin (approximate by design), MobileNetV2 block_12: relative error ${error.toExponential(2)}`);
      expect(error).toBeLessThan(0.5);
      tf.dispose([single.value, single.gradient, tiled.value, tiled.gradient]);
    });
    image.dispose();
  });
});

describe('a dream larger than one pass shows no tile grid (512x336 px, 160 px passes, 8 steps)', () => {
  /** Mean |Δ| within 2 px of the step's interior tile lines against the rest, per step, and of the accumulated change. */
  async function measure(net: DreamNetwork, layer: string): Promise<{ perStep: number[]; accumulated: number }> {
    const source = await photo(512, 336);
    const objective = resolveObjective(net, layer, { kind: 'layer' });
    const pass = 160;
    const perStep: number[] = [];
    let accumulated = 0;
    await withKernelCache(async () => {
      const start = rgbOf(source);
      const step = createDreamStep(objective, start, { stepSize: 0.01, jitter: 16, maxPassSize: pass, random: seededRandom(11) });
      let total = tf.zerosLike(start);
      let before = tf.clone(start);
      for (let i = 0; i < 8; i++) {
        await step.step();
        const delta = tf.tidy(() => tf.abs(tf.sub(step.evaluated(), before)));
        const next = tf.add(total, delta) as tf.Tensor4D;
        total.dispose();
        total = next;
        before.dispose();
        before = tf.clone(step.evaluated());
        // Where this step's tile lines were, in image coordinates (the grid is laid on the jittered image).
        const [dy, dx] = step.lastShift;
        const s = objective.target.stride;
        const plan = planTiles(Math.ceil(336 / s) * s, Math.ceil(512 / s) * s, objective.target, { maxPassSize: pass, gridOffset: step.lastGridOffset as [number, number] });
        const rows = plan.rows.slice(1).map((r) => r.start - dy);
        const columns = plan.columns.slice(1).map((c) => c.start - dx);
        perStep.push(bandRatio(await delta.data(), 336, 512, rows, columns));
        delta.dispose();
      }
      // Accumulated over steps: no residue of any fixed grid (profile over x mod the core size, and y).
      accumulated = profileFlatness(await total.data(), 336, 512, 160 - 2 * planTiles(512, 512, objective.target, { maxPassSize: pass }).margin);
      tf.dispose([total, before, start]);
      step.dispose();
    });
    return { perStep, accumulated };
  }

  function bandRatio(delta: ArrayLike<number>, height: number, width: number, rows: number[], columns: number[]): number {
    const near = (v: number, lines: number[], size: number) => lines.some((l) => {
      const d = Math.abs((((v - l) % size) + size + size / 2) % size - size / 2);
      return d <= 2 || Math.abs(((((v + 1 - l) % size) + size + size / 2) % size) - size / 2) <= 2;
    });
    let bandSum = 0;
    let bandCount = 0;
    let restSum = 0;
    let restCount = 0;
    for (let y = 0; y < height; y++) {
      const nearRow = near(y, rows, height);
      for (let x = 0; x < width; x++) {
        const inBand = nearRow || near(x, columns, width);
        const v = (delta[(y * width + x) * 3] + delta[(y * width + x) * 3 + 1] + delta[(y * width + x) * 3 + 2]) / 3;
        if (inBand) {
          bandSum += v;
          bandCount++;
        } else {
          restSum += v;
          restCount++;
        }
      }
    }
    return bandSum / bandCount / (restSum / restCount);
  }

  function profileFlatness(total: ArrayLike<number>, height: number, width: number, period: number): number {
    const columns = new Float64Array(period);
    const counts = new Float64Array(period);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        columns[x % period] += total[(y * width + x) * 3] + total[(y * width + x) * 3 + 1] + total[(y * width + x) * 3 + 2];
        counts[x % period]++;
      }
    }
    const means = Array.from(columns, (v, i) => v / counts[i]);
    const mean = means.reduce((a, b) => a + b, 0) / period;
    return Math.max(...means) / mean;
  }

  it.each([
    ['MobileNetV2 block_3 (exact: 27 px field, 32 px margin)', () => mob, 'block_3'],
    ['Darknet conv6 (exact: 26 px field, 32 px margin)', () => dark, 'conv6'],
    ['MobileNetV2 block_8 (approximate: 139 px field, 32 px margin)', () => mob, 'block_8'],
  ] as const)('%s', async (name, net, layer) => {
    const { perStep, accumulated } = await measure(net(), layer);
    console.log(`[dream] tile lines vs interior, ${name}: mean |Δ| ratio per step ${perStep.map((r) => r.toFixed(3)).join(' ')}; accumulated column profile max/mean ${accumulated.toFixed(3)}`);
    for (const r of perStep) expect(r).toBeLessThan(1.2);
    expect(accumulated).toBeLessThan(1.2);
  });
});

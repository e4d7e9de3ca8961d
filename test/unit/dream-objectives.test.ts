// The three dream objectives on the real networks (WASM): their gradients match finite differences, and dreaming
// raises them — the layer objective ≥3x and on (almost) every step, a channel more than its layer's average, a
// class from <1% to >50% under the same network (and how an independent classifier ranks it, reported).
import * as tf from '@tensorflow/tfjs';
import type { DarknetTiny } from '../../models/networks/darknet-tiny';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { classIndexByLabel, findClasses } from '../../techniques/dream/classes';
import { DREAM_DEFAULTS, dream } from '../../techniques/dream/dream';
import { useFastGradients, withKernelCache } from '../../techniques/optimize/fast-gradients';
import { type DreamNetwork, dreamNetwork, resolveLayer } from '../../techniques/dream/network';
import { type DreamObjective, resolveObjective } from '../../techniques/dream/objective';
import { createDreamStep } from '../../techniques/dream/step';
import { seededRandom } from '../../techniques/random';
import { photo, quietContext, rgbOf } from '../support/dream-images';
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

function objectiveOf(net: DreamNetwork, layer: string, objective: DreamObjective, image: tf.Tensor4D): number {
  return tf.tidy(() => resolveObjective(net, layer, objective).value(image).dataSync()[0]);
}

describe('gradients match finite differences (WASM, 48x48 px, central differences)', () => {
  // Float32 care. The objectives are means over positions, so one pixel's gradient is O(1/pixels): along a
  // direction of random signs the terms cancel, ⟨∇f, d⟩ ~ |∇f|·√N falls to the size of float32 rounding of f
  // (measured: errors of 0.3 to 0.4 at every ε, TF.js's own CPU gradient included). So each random direction is
  // d = sign(∇f)·u, u uniform in [0.25, 1] per pixel: random, but without cancellation (⟨∇f, d⟩ ~ Σ|∇f|); a wrong
  // sign at any pixel would still show. ε = 1e-4 per pixel: larger steps cross ReLU / max kinks coherently
  // (measured with TF.js's own CPU gradient, MobileNetV2 class: 0.17 at ε = 1e-3, 0.068 at 3e-4, 5e-4 at 1e-4;
  // the rewritten WASM gradients give the same figures); a single channel has no other channels to average its
  // kinks out (channel 7 of block_6: 9e-3 at 1e-4, 2e-3 at 3e-5), so it gets ε = 3e-5. (A Darknet channel on a
  // 6x6 map is kinkier still: max-pool windows switch, 2.9e-2 at 3e-5 with TF.js's own CPU gradient as well as the
  // rewritten one, so it is left to dream-fast-gradients' comparison with TF.js.) Pixels stay inside (0.1, 0.9);
  // ⟨∇f, d⟩ is summed in float64.
  const cases: [string, () => DreamNetwork, string, DreamObjective, number][] = [
    ['MobileNetV2 layer block_3', () => mob, 'block_3', { kind: 'layer' }, 1e-4],
    ['MobileNetV2 channel 7 of block_6', () => mob, 'block_6', { kind: 'channel', channel: 7 }, 3e-5],
    ['MobileNetV2 class goldfish', () => mob, 'block_6', { kind: 'class', classIndex: 2 }, 1e-4],
    ['Darknet layer conv8', () => dark, 'conv8', { kind: 'layer' }, 1e-4],
    ['Darknet class 1', () => dark, 'conv8', { kind: 'class', classIndex: 1 }, 1e-4],
  ];
  it.each(cases)('%s', async (name, net, layer, objective, eps) => {
    const source = await photo(48, 48);
    const x = tf.tidy(() => tf.add(tf.mul(rgbOf(source), 0.8), 0.1) as tf.Tensor4D);
    const resolved = resolveObjective(net(), layer, objective);
    const errors: number[] = [];
    await withKernelCache(async () => {
      const gradient = tf.tidy(() => tf.grad((im: tf.Tensor) => resolved.value(im as tf.Tensor4D))(x).dataSync() as Float32Array);
      const random = seededRandom(7);
      for (let k = 0; k < 3; k++) {
        const d = Float32Array.from(gradient, (g) => Math.sign(g) * (0.25 + 0.75 * random()));
        let analytic = 0;
        for (let i = 0; i < d.length; i++) analytic += gradient[i] * d[i];
        const [plus, minus] = tf.tidy(() => {
          const dt = tf.tensor4d(d, x.shape);
          return [resolved.value(tf.add(x, tf.mul(dt, eps)) as tf.Tensor4D).dataSync()[0], resolved.value(tf.sub(x, tf.mul(dt, eps)) as tf.Tensor4D).dataSync()[0]];
        });
        const numeric = (plus - minus) / (2 * eps);
        errors.push(Math.abs(numeric - analytic) / Math.abs(analytic));
      }
    });
    x.dispose();
    console.log(`[dream] finite differences, ${name}, ε ${eps}: relative errors ${errors.map((e) => e.toExponential(1)).join(', ')}`);
    for (const e of errors) expect(e).toBeLessThan(1e-2);
  });
});

describe('layer objective ("Patterns", defaults)', () => {
  // 256 px: the default 4 octaves all run (at 128 px the two smallest fall under the 48 px minimum octave side, 20
  // steps instead of 40, measured x2.6 for both networks; at 160 px x3.4 / x3.0).
  it.each([
    ['MobileNetV2', () => mob],
    ['Darknet', () => dark],
  ] as const)('%s: rises at least 3x over the whole dream (256 px)', async (name, net) => {
    const source = await photo(256, 171);
    const layer = resolveLayer(net(), DREAM_DEFAULTS.layer).name;
    const before = rgbOf(source);
    const result = await dream(net(), source, {}, quietContext());
    const after = rgbOf(result.image);
    const [b, a] = [objectiveOf(net(), layer, { kind: 'layer' }, before), objectiveOf(net(), layer, { kind: 'layer' }, after)];
    tf.dispose([before, after]);
    console.log(`[dream] ${name} layer ${layer} objective (½ mean a²): ${b.toFixed(3)} -> ${a.toFixed(3)} (x${(a / b).toFixed(2)}), ${result.stepsRun} steps`);
    expect(a).toBeGreaterThan(3 * b);
  });

  it.each([
    ['MobileNetV2', () => mob],
    ['Darknet', () => dark],
  ] as const)('%s: rises on almost every step (128 px, one octave, default step size and jitter, measured without jitter)', async (name, net) => {
    const source = await photo(128, 85);
    const objective = resolveObjective(net(), DREAM_DEFAULTS.layer, { kind: 'layer' });
    const values: number[] = [];
    await withKernelCache(async () => {
      const start = rgbOf(source);
      const step = createDreamStep(objective, start, { stepSize: DREAM_DEFAULTS.stepSize, jitter: DREAM_DEFAULTS.jitter, maxPassSize: DREAM_DEFAULTS.maxPassSize, random: seededRandom(3) });
      start.dispose();
      values.push(tf.tidy(() => objective.value(step.evaluated()).dataSync()[0]));
      for (let i = 0; i < 20; i++) {
        await step.step();
        values.push(tf.tidy(() => objective.value(step.evaluated()).dataSync()[0]));
      }
      step.dispose();
    });
    const rises = values.slice(1).filter((v, i) => v > values[i]).length;
    console.log(`[dream] ${name} per-step objective: ${values.map((v) => v.toFixed(2)).join(' ')}; rose on ${rises} of 20 steps`);
    expect(rises).toBeGreaterThanOrEqual(18);
  });
});

describe('channel objective', () => {
  it.each([
    ['MobileNetV2', () => mob, 'block_6', 11],
    ['Darknet', () => dark, 'conv8', 11],
  ] as const)('%s: the chosen channel rises more than the layer average', async (name, net, layer, channel) => {
    const source = await photo(128, 85);
    const result = await dream(net(), source, { layer, objective: { kind: 'channel', channel } }, quietContext());
    const means = (image: tf.Tensor4D) => tf.tidy(() => Array.from(tf.mean(net().activations(image, layer), [0, 1, 2]).dataSync()));
    const [before, after] = [rgbOf(source), rgbOf(result.image)];
    const [mb, ma] = [means(before), means(after)];
    tf.dispose([before, after]);
    const average = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const channelRise = ma[channel] - mb[channel];
    const averageRise = average(ma) - average(mb);
    const rank = ma.filter((v) => v > ma[channel]).length + 1;
    console.log(`[dream] ${name} ${layer} channel ${channel}: mean ${mb[channel].toFixed(3)} -> ${ma[channel].toFixed(3)} (+${channelRise.toFixed(3)}); layer average ${average(mb).toFixed(3)} -> ${average(ma).toFixed(3)} (+${averageRise.toFixed(3)}); channel now ranks ${rank} of ${ma.length}`);
    expect(channelRise).toBeGreaterThan(averageRise);
    expect(channelRise).toBeGreaterThan(0);
  });
});

describe('class objective (defaults, 224 px from the photo)', () => {
  const probabilities = (net: MobileNetV2 | DarknetTiny, image: tf.Tensor4D) => tf.tidy(() => Array.from(net.probabilities(tf.image.resizeBilinear(image, [224, 224])).dataSync()));
  const rankOf = (p: number[], k: number) => p.filter((v) => v > p[k]).length + 1;

  it.each([
    ['MobileNetV2', 'goldfish', 'Darknet'],
    ['Darknet', 'goldfish', 'MobileNetV2'],
  ] as const)('%s dreams "%s": its probability goes from <1%% to >50%%; the %s ranking is reported', async (name, query, otherName) => {
    const [net, raw, other] = name === 'MobileNetV2' ? [mob, mobilenet, darknet] : [dark, darknet, mobilenet];
    const [match] = findClasses(net.labels, query);
    const otherIndex = classIndexByLabel(other.labels, match.label);
    expect(otherIndex).toBeGreaterThanOrEqual(0);
    const source = await photo(224, 149);
    const result = await dream(net, source, { objective: { kind: 'class', classIndex: match.index } }, quietContext());
    const [before, after] = [rgbOf(source), rgbOf(result.image)];
    const [pb, pa] = [probabilities(raw, before), probabilities(raw, after)];
    const [ob, oa] = [probabilities(other, before), probabilities(other, after)];
    tf.dispose([before, after]);
    console.log(
      `[dream] ${name} class "${match.label}" (${match.index}): p ${(100 * pb[match.index]).toFixed(3)}% -> ${(100 * pa[match.index]).toFixed(1)}% (${result.stepsRun} steps); ` +
        `independent ${otherName} (class ${otherIndex}): rank ${rankOf(ob, otherIndex)} -> ${rankOf(oa, otherIndex)} of ${oa.length}, p ${(100 * ob[otherIndex]).toFixed(3)}% -> ${(100 * oa[otherIndex]).toFixed(3)}%`,
    );
    expect(pb[match.index]).toBeLessThan(0.01);
    expect(pa[match.index]).toBeGreaterThan(0.5);
  });
});

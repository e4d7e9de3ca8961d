// dream() as a job: alpha and the element mask, no tensors left behind, cancel, stop-and-keep, progress and
// previews, parameter checks; and the parts around it: presets, class search, the Fourier image, noise starts,
// the channel preview sheet.
import * as tf from '@tensorflow/tfjs';
import type { DarknetTiny } from '../../models/networks/darknet-tiny';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { channelPreviewSheet } from '../../techniques/dream/channel-sheet';
import { classIndexByLabel, findClasses } from '../../techniques/dream/classes';
import { DREAM_DEFAULTS, dream, octaveSizes } from '../../techniques/dream/dream';
import { inverseRealDft } from '../../techniques/dream/fourier-image';
import { type DreamNetwork, dreamNetwork, presetLabel, resolveLayer } from '../../techniques/dream/network';
import { PasticheError } from '../../techniques/errors';
import type { JobProgress } from '../../techniques/job';
import { seededRandom } from '../../techniques/random';
import { photo, quietContext, withDiscAlpha } from '../support/dream-images';
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
});
afterAll(() => {
  mobilenet?.dispose();
  darknet?.dispose();
});

const SMALL = { octaves: 2, stepsPerOctave: 4 };

describe('the networks as dream networks', () => {
  it('list layers shallow to deep with channels, strides and fields, and map every preset to a real layer', () => {
    for (const net of [mob, dark]) {
      const strides = net.layers.map((l) => l.stride);
      expect(strides).toEqual([...strides].sort((a, b) => a - b));
      const fields = net.layers.map((l) => l.receptiveField);
      expect(fields).toEqual([...fields].sort((a, b) => a - b));
      const presetLayers = net.presets.map((p) => net.layers.findIndex((l) => l.name === p.layer));
      expect(presetLayers.every((i) => i >= 0)).toBe(true);
      expect(presetLayers).toEqual([...presetLayers].sort((a, b) => a - b)); // Edges shallowest ... Objects deepest
      console.log(`[dream] ${net.id} presets: ${net.presets.map((p) => { const l = net.layer(p.layer); return `${presetLabel(p)} (${l.channels} ch, stride ${l.stride}, field ${l.receptiveField} px)`; }).join('; ')}`);
    }
    expect(mob.layer('block_6')).toEqual({ name: 'block_6', channels: 64, stride: 16, receptiveField: 75 });
    expect(mob.layer('head')).toMatchObject({ channels: 1280, stride: 32, receptiveField: 491 });
    expect(dark.layer('conv8')).toEqual({ name: 'conv8', channels: 256, stride: 8, receptiveField: 46 });
    expect(mob.labels).toHaveLength(1001);
    expect(dark.labels).toHaveLength(1000);
    expect(resolveLayer(mob, 'patterns').name).toBe('block_6');
    expect(() => resolveLayer(dark, 'block_6')).toThrow(PasticheError);
  });

  it('find classes by name (case-insensitive substring, exact names first) or index, across label lists', () => {
    expect(findClasses(mob.labels, 'GOLDFISH')[0]).toEqual({ index: 2, label: 'goldfish, Carassius auratus' });
    const cats = findClasses(mob.labels, 'cat').map((m) => m.label);
    expect(cats.slice(0, 6)).toEqual(expect.arrayContaining(['tabby, tabby cat', 'Egyptian cat', 'Persian cat']));
    expect(cats.indexOf('catamaran')).toBeGreaterThan(cats.indexOf('Egyptian cat'));
    expect(findClasses(mob.labels, 'tabby')[0].label).toBe('tabby, tabby cat');
    expect(findClasses(dark.labels, '449')).toEqual([{ index: 449, label: dark.labels[449] }]);
    expect(findClasses(mob.labels, 'no such thing')).toEqual([]);
    expect(classIndexByLabel(dark.labels, mob.labels[2])).toBe(dark.labels.indexOf('goldfish, Carassius auratus'));
  });
});

describe('alpha', () => {
  it('transparent pixels stay transparent; with the mask (default) the outside does not change', async () => {
    const source = withDiscAlpha(await photo(128, 96), 36);
    const masked = await dream(mob, source, SMALL, quietContext());
    const unmasked = await dream(mob, source, { ...SMALL, maskToAlpha: false }, quietContext());
    let outsideMaskedChange = 0;
    let outsideUnmaskedChange = 0;
    let insideChange = 0;
    let inside = 0;
    for (let i = 0; i < source.data.length; i += 4) {
      const a = source.data[i + 3];
      expect(masked.image.data[i + 3]).toBe(a);
      expect(unmasked.image.data[i + 3]).toBe(a);
      for (let c = 0; c < 3; c++) {
        if (a === 0) {
          outsideMaskedChange = Math.max(outsideMaskedChange, Math.abs(masked.image.data[i + c] - source.data[i + c]));
          outsideUnmaskedChange = Math.max(outsideUnmaskedChange, Math.abs(unmasked.image.data[i + c] - source.data[i + c]));
        } else if (a === 255) {
          insideChange += Math.abs(masked.image.data[i + c] - source.data[i + c]);
          inside++;
        }
      }
    }
    console.log(`[dream] alpha: outside max change ${outsideMaskedChange}/255 masked, ${outsideUnmaskedChange}/255 unmasked; inside mean change ${(insideChange / inside).toFixed(1)}/255`);
    expect(outsideMaskedChange).toBeLessThanOrEqual(1);
    expect(outsideUnmaskedChange).toBeGreaterThan(10);
    expect(insideChange / inside).toBeGreaterThan(5);
  });

  it('a noise start keeps the outside of the element too', async () => {
    const source = withDiscAlpha(await photo(96, 96), 30);
    const result = await dream(mob, source, { start: 'noise', noiseSteps: 10, noiseSize: 64, ...SMALL }, quietContext());
    let outside = 0;
    for (let i = 0; i < source.data.length; i += 4) {
      expect(result.image.data[i + 3]).toBe(source.data[i + 3]);
      if (source.data[i + 3] === 0) for (let c = 0; c < 3; c++) outside = Math.max(outside, Math.abs(result.image.data[i + c] - source.data[i + c]));
    }
    expect(outside).toBeLessThanOrEqual(1);
  });
});

describe('as a job', () => {
  it('leaves no tensors behind, twice in a row (image and noise starts, both networks)', async () => {
    const source = withDiscAlpha(await photo(96, 64), 28);
    const baseline = tf.memory().numTensors;
    for (let round = 0; round < 2; round++) {
      await dream(mob, source, SMALL, quietContext());
      expect(tf.memory().numTensors).toBe(baseline);
      await dream(dark, source, { ...SMALL, objective: { kind: 'class', classIndex: 1 }, maxPassSize: 64 }, quietContext());
      expect(tf.memory().numTensors).toBe(baseline);
      await dream(mob, source, { ...SMALL, start: 'noise', noiseSteps: 5, noiseSize: 48, layer: 'block_3', objective: { kind: 'channel', channel: 2 } }, quietContext());
      expect(tf.memory().numTensors).toBe(baseline);
    }
  });

  it('reports progress over the whole job (monotonic, to 1) with previews', async () => {
    const events: JobProgress[] = [];
    const result = await dream(mob, await photo(128, 96), { ...SMALL, previewEvery: 2 }, { ...quietContext(), onProgress: (p) => events.push(p) });
    const fractions = events.map((e) => e.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(events.filter((e) => e.preview).length).toBeGreaterThanOrEqual(4);
    expect(events.some((e) => e.message?.startsWith('octave 2 of 2'))).toBe(true);
    expect(result.stepsRun).toBe(8);
    expect(result.ended).toBe('steps');
  });

  it('cancel throws a typed "cancelled" error and frees everything', async () => {
    const source = await photo(96, 64);
    const baseline = tf.memory().numTensors;
    const controller = new AbortController();
    let steps = 0;
    const run = dream(mob, source, SMALL, { signal: controller.signal, onProgress: () => ++steps === 3 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('"stop and keep" returns the image so far at full size', async () => {
    const source = await photo(96, 64);
    const finish = new AbortController();
    let steps = 0;
    const result = await dream(mob, source, SMALL, { ...quietContext(), finishEarly: finish.signal, onProgress: () => ++steps === 3 && finish.abort() });
    expect(result.ended).toBe('finished-early');
    expect(result.stepsRun).toBe(3);
    expect([result.image.width, result.image.height]).toEqual([96, 64]);
    let changed = 0;
    for (let i = 0; i < source.data.length; i++) if (result.image.data[i] !== source.data[i]) changed++;
    expect(changed).toBeGreaterThan(0);
  });

  it('dreams at another size when asked, and refuses what it cannot do', async () => {
    const source = await photo(96, 64);
    const result = await dream(mob, source, { ...SMALL, size: 48 }, quietContext());
    expect([result.image.width, result.image.height]).toEqual([48, 32]);
    await expect(dream(mob, source, { size: 5000 }, quietContext())).rejects.toMatchObject({ code: 'too-large' });
    await expect(dream(mob, source, { stepSize: 0 }, quietContext())).rejects.toMatchObject({ code: 'bad-params' });
    await expect(dream(mob, source, { layer: 'conv8' }, quietContext())).rejects.toMatchObject({ code: 'bad-params' });
    await expect(dream(mob, source, { objective: { kind: 'channel', channel: 64 } }, quietContext())).rejects.toMatchObject({ code: 'bad-params' });
    await expect(dream(dark, source, { objective: { kind: 'class', classIndex: 1000 } }, quietContext())).rejects.toMatchObject({ code: 'bad-params' });
    await expect(dream(mob, { width: 0, height: 0, data: new Uint8ClampedArray(0) }, {}, quietContext())).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('plans octaves smallest first down to 48 px', () => {
    expect(octaveSizes(512, 341, 4, 1.4)).toEqual([
      { width: 187, height: 124 },
      { width: 261, height: 174 },
      { width: 366, height: 244 },
      { width: 512, height: 341 },
    ]);
    expect(octaveSizes(128, 85, DREAM_DEFAULTS.octaves, DREAM_DEFAULTS.octaveScale)).toEqual([
      { width: 91, height: 61 },
      { width: 128, height: 85 },
    ]);
  });
});

describe('starting from noise', () => {
  it('the matrix inverse DFT is numpy irfft2 (checked against the direct sum, even and odd sizes)', () => {
    for (const [h, w] of [
      [6, 8],
      [5, 7],
    ]) {
      const dft = inverseRealDft(h, w);
      const wf = dft.halfWidth;
      const random = seededRandom(h * w);
      const re = Float32Array.from({ length: h * 2 * wf }, () => random() - 0.5);
      const im = Float32Array.from({ length: h * 2 * wf }, () => random() - 0.5);
      const out = tf.tidy(() => dft.apply(tf.tensor2d(re, [h, 2 * wf]), tf.tensor2d(im, [h, 2 * wf]), 2).dataSync());
      dft.dispose();
      for (let c = 0; c < 2; c++) {
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            // irfft2: x[y,x] = 1/(HW) Σ_u Σ_v c_v Re(X[u,v] e^{2πi(uy/H + vx/W)}), c = 1 for v = 0 and the Nyquist column.
            let sum = 0;
            for (let u = 0; u < h; u++) {
              for (let v = 0; v < wf; v++) {
                const weight = v === 0 || (w % 2 === 0 && v === w / 2) ? 1 : 2;
                const angle = 2 * Math.PI * ((u * y) / h + (v * x) / w);
                const k = u * 2 * wf + c * wf + v;
                sum += weight * (re[k] * Math.cos(angle) - im[k] * Math.sin(angle));
              }
            }
            expect(out[(c * h + y) * w + x]).toBeCloseTo(sum / (h * w), 5);
          }
        }
      }
    }
  });

  it('a class visualisation from noise is recognised by its network (MobileNetV2 goldfish, 96 px, 60 steps)', async () => {
    const result = await dream(mob, await photo(96, 96), { start: 'noise', noiseSize: 96, noiseSteps: 60, objective: { kind: 'class', classIndex: 2 } }, quietContext());
    const p = tf.tidy(() => {
      const { rgb } = { rgb: tf.div(tf.tensor4d(Float32Array.from(result.image.data).filter((_, i) => i % 4 !== 3), [1, 96, 96, 3]), 255) as tf.Tensor4D };
      return Array.from(mobilenet.probabilities(tf.image.resizeBilinear(rgb, [224, 224])).dataSync());
    });
    const otherIndex = classIndexByLabel(darknet.labels, mobilenet.labels[2]);
    const q = tf.tidy(() => {
      const rgb = tf.div(tf.tensor4d(Float32Array.from(result.image.data).filter((_, i) => i % 4 !== 3), [1, 96, 96, 3]), 255) as tf.Tensor4D;
      return Array.from(darknet.probabilities(tf.image.resizeBilinear(rgb, [224, 224])).dataSync());
    });
    const rank = (v: number[], k: number) => v.filter((x) => x > v[k]).length + 1;
    console.log(`[dream] noise start, MobileNetV2 goldfish at 96 px, 60 steps: MobileNetV2 p ${(100 * p[2]).toFixed(1)}% (rank ${rank(p, 2)}); independent Darknet rank ${rank(q, otherIndex)} of 1000 (p ${(100 * q[otherIndex]).toFixed(2)}%)`);
    // Recognised: among the network's top 3 of 1001 classes, far above chance (0.1%). How far above varies a lot
    // with the seed and with rounding (Adam from noise amplifies 1e-6 differences): measured p over seeds 0-5,
    // 6–88% with the fused layers (rank 1 or 2), 1–98% with the earlier separate ops.
    expect(rank(p, 2)).toBeLessThanOrEqual(3);
    expect(p[2]).toBeGreaterThan(0.02);
  });
});

describe('channel preview sheet', () => {
  it('ranks the layer channels on the image and dreams the strongest few into thumbnails', async () => {
    const source = await photo(128, 85);
    const sheet = await channelPreviewSheet(mob, source, { layer: 'Textures', count: 4, size: 48, steps: 4 }, quietContext());
    expect(sheet).toHaveLength(4);
    expect(sheet.map((s) => s.meanActivation)).toEqual([...sheet.map((s) => s.meanActivation)].sort((a, b) => b - a));
    for (const s of sheet) expect([s.image.width, s.image.height]).toEqual([48, 32]);
    console.log(`[dream] channel sheet, MobileNetV2 Textures (block_3): channels ${sheet.map((s) => `${s.channel} (${s.meanActivation.toFixed(2)})`).join(', ')}`);
  });
});

// The fast style path's pure parts, without networks: tiling plan and blend weights, CPU resampling, colour
// conversion, bottleneck arithmetic and style resolution. Runs on the tfjs CPU backend in a second.
import * as tf from '@tensorflow/tfjs';
import { createRgbaImage } from '../../techniques/image';
import { NO_ASSETS } from '../../techniques/job';
import { PasticheError } from '../../techniques/errors';
import { accumulateTile, DEFAULT_TILING, planAxis, planTiles } from '../../techniques/style/tiling';
import { resampleAlpha, resampleToPlanes, sizeForLongestSide, toPlanes } from '../../techniques/style/fast-resample';
import { keepContentChroma, rgbToYCbCr, ycbcrToRgb } from '../../techniques/style/color';
import { applyStrength, blendBottlenecks, styleView } from '../../techniques/style/bottleneck';
import { resolveStyleImages } from '../../techniques/style/resolve-styles';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tiling', () => {
  it('one span when the image fits a tile', () => {
    expect(planAxis(512, DEFAULT_TILING)).toHaveLength(1);
    expect(planTiles(300, 200)).toHaveLength(1);
  });

  it.each([513, 900, 2048, 4096, 1234])('covers %i px with weights summing to 1, starts on the 4-px grid', (size) => {
    const spans = planAxis(size, DEFAULT_TILING);
    const sum = new Float32Array(size);
    for (const span of spans) {
      expect(span.start % 4).toBe(0);
      expect(span.length).toBeLessThanOrEqual(DEFAULT_TILING.tileSize);
      span.weights.forEach((w, i) => (sum[span.start + i] += w));
    }
    expect(spans[spans.length - 1].start + spans[spans.length - 1].length).toBe(size);
    for (let i = 0; i < size; i++) expect(sum[i]).toBeCloseTo(1, 5);
    // A tile's outermost `margin` px inside an overlap never count (they see mirrored padding).
    for (const span of spans.slice(1)) expect(Math.max(...span.weights.subarray(0, DEFAULT_TILING.margin))).toBe(0);
  });

  it('accumulating a constant through every tile gives the constant back (2-D partition of unity)', () => {
    const width = 1100;
    const height = 700;
    const out = new Float32Array(width * height * 3);
    for (const tile of planTiles(width, height)) accumulateTile(out, width, tile, new Float32Array(tile.width * tile.height * 3).fill(0.5));
    let worst = 0;
    for (const v of out) worst = Math.max(worst, Math.abs(v - 0.5));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('resampling', () => {
  it('resamples alpha alone to the same bytes as with the colour', () => {
    const data = new Uint8ClampedArray(37 * 23 * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 97 + (i >> 5) * 31) % 256;
    const image = createRgbaImage(37, 23, data);
    for (const [w, h] of [[37, 23], [18, 11], [80, 50]]) expect(resampleAlpha(image, w, h)).toEqual(resampleToPlanes(image, w, h).alpha);
  });

  it('keeps alpha bytes exactly at the same size and scales by the longest side', () => {
    const image = createRgbaImage(3, 2, Uint8ClampedArray.from([1, 2, 3, 0, 4, 5, 6, 7, 8, 9, 10, 255, 11, 12, 13, 128, 14, 15, 16, 1, 17, 18, 19, 254]));
    const planes = toPlanes(image);
    expect([...planes.alpha]).toEqual([0, 7, 255, 128, 1, 254]);
    expect([...planes.rgb.subarray(3, 6)]).toEqual([4, 5, 6]);
    expect(sizeForLongestSide(451, 300, 2048)).toEqual({ width: 2048, height: 1362 });
    expect(sizeForLongestSide(451, 300, 0)).toEqual({ width: 451, height: 300 });
  });

  it('averages when shrinking and ignores the colour of transparent pixels', () => {
    // A 4x4 image: left half opaque red, right half transparent with green RGB garbage.
    const data = new Uint8ClampedArray(4 * 4 * 4);
    for (let p = 0; p < 16; p++) data.set(p % 4 < 2 ? [255, 0, 0, 255] : [0, 255, 0, 0], p * 4);
    const small = resampleToPlanes(createRgbaImage(4, 4, data), 2, 2);
    expect(small.alpha[0]).toBeGreaterThan(200);
    expect(small.alpha[1]).toBeLessThan(60);
    // Wherever there is any alpha, the colour is red, not a red/green mix.
    for (let p = 0; p < 4; p++) if (small.alpha[p] > 0) expect([...small.rgb.subarray(p * 3, p * 3 + 3)]).toEqual([255, 0, 0]);
  });
});

describe('colour', () => {
  it('YCbCr round-trips and keepContentChroma takes Y from one image, chroma from the other', () => {
    const a = tf.tensor4d([0.9, 0.2, 0.1, 0.3, 0.6, 0.2], [1, 1, 2, 3]);
    const b = tf.tensor4d([0.2, 0.3, 0.8, 0.5, 0.5, 0.5], [1, 1, 2, 3]);
    expect(tf.max(tf.abs(tf.sub(ycbcrToRgb(rgbToYCbCr(a)), a))).dataSync()[0]).toBeLessThan(1e-5);
    const mixed = keepContentChroma(b, a);
    const [ym, , ] = tf.split(rgbToYCbCr(mixed), 3, 3);
    const [yb] = tf.split(rgbToYCbCr(b), 3, 3);
    const [, cbm, crm] = tf.split(rgbToYCbCr(mixed), 3, 3);
    const [, cba, cra] = tf.split(rgbToYCbCr(a), 3, 3);
    expect(tf.max(tf.abs(tf.sub(ym, yb))).dataSync()[0]).toBeLessThan(0.02); // up to clipping
    expect(tf.max(tf.abs(tf.sub(cbm, cba))).dataSync()[0]).toBeLessThan(0.05);
    expect(tf.max(tf.abs(tf.sub(crm, cra))).dataSync()[0]).toBeLessThan(0.05);
  });
});

describe('bottlenecks', () => {
  it('blends by normalized weights and interpolates by strength', () => {
    const a = tf.fill([1, 1, 1, 100], 1);
    const b = tf.fill([1, 1, 1, 100], 3);
    expect(blendBottlenecks([{ bottleneck: a, weight: 3 }, { bottleneck: b, weight: 1 }]).dataSync()[0]).toBeCloseTo(1.5);
    expect(applyStrength(b, a, 0).dataSync()[0]).toBeCloseTo(1);
    expect(applyStrength(b, a, 0.25).dataSync()[0]).toBeCloseTo(1.5);
    expect(applyStrength(b, a, 1).dataSync()[0]).toBeCloseTo(3);
  });

  it('the predictor sees the shorter side at 256 px, centre-cropped', () => {
    // A 512x256 image: left quarter red, middle half black, right quarter white.
    const data = new Uint8ClampedArray(512 * 256 * 4);
    for (let y = 0; y < 256; y++) for (let x = 0; x < 512; x++) data.set(x < 128 ? [255, 0, 0, 255] : x < 384 ? [0, 0, 0, 255] : [255, 255, 255, 255], (y * 512 + x) * 4);
    const view = styleView(createRgbaImage(512, 256, data));
    expect(view.shape).toEqual([1, 256, 256, 3]);
    expect(view.max().dataSync()[0]).toBeLessThan(0.01); // only the black middle half is seen
    view.dispose();
  });
});

describe('resolveStyleImages', () => {
  const red = createRgbaImage(1, 1, Uint8ClampedArray.from([255, 0, 0, 255]));
  const assets = { image: async (_kind: string, id: string) => (id === 'starry_night' ? red : Promise.reject(new Error('missing'))) };

  it('normalizes weights and reads presets and the reference layer', async () => {
    const styles = await resolveStyleImages({ styles: [{ source: 'starry_night', weight: 3 }, { source: 'layer', weight: 1 }] }, { reference: red }, assets);
    expect(styles.map((s) => s.weight)).toEqual([0.75, 0.25]);
    expect(styles[1].image).toBe(red);
  });

  it("says clearly when a 'layer' style has no reference, or a preset cannot load", async () => {
    const noLayer = resolveStyleImages({ styles: [{ source: 'layer', weight: 1 }] }, {}, assets);
    await expect(noLayer).rejects.toBeInstanceOf(PasticheError);
    await expect(noLayer).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/second selected layer/) });
    await expect(resolveStyleImages({ styles: [{ source: 'the_scream', weight: 1 }] }, {}, assets)).rejects.toMatchObject({ code: 'bad-input' });
    await expect(resolveStyleImages({ styles: [{ source: 'starry_night', weight: 1 }] }, {}, NO_ASSETS)).rejects.toMatchObject({ code: 'bad-input' });
  });
});

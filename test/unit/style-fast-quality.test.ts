// Quality of the fast path with the real networks, measured with the shared style metric (VGG19 Grams at 256 px):
// it takes on the style, keeps the content, keeps colours on request, and strength and blends do what they say.
// Runs on the tfjs WASM backend: the metric's VGG19 and the transformer are ~20x slower on the JS CPU backend,
// which would put this file at several minutes; these are tests of the technique, not of the backend.
import type { Vgg19 } from '../../models/networks/vgg19';
import { defaultParams } from '../../techniques/registry';
import type { StyleParams } from '../../techniques/style/spec';
import type { RgbaImage } from '../../techniques/image';
import { fastStyleTransfer } from '../../techniques/style/fast';
import { readAsset, testContext } from '../support/assets';
import { contentDistance, loadVgg19OnWasm, strokeDensity, styleDistance, ycbcrChromaDelta } from '../support/style-quality';

const chelsea = readAsset('content', 'chelsea');
const style = (id: string) => readAsset('styles', id);
const starry = style('starry_night');
const scream = style('the_scream');

const run = (params: Partial<StyleParams>, source: RgbaImage = chelsea) =>
  fastStyleTransfer({ source }, { ...defaultParams('style'), ...params }, testContext());

let vgg: Vgg19;
let plain: RgbaImage; // chelsea in starry_night, default settings
let plainToStarry: number; // its style distance to starry_night, reused by several tests
beforeAll(async () => {
  vgg = await loadVgg19OnWasm();
  plain = await run({});
  plainToStarry = await styleDistance(vgg, plain, starry);
}, 120_000);

test('takes on the style and keeps the content', async () => {
  const contentToStyle = await styleDistance(vgg, chelsea, starry);
  const outputToStyle = plainToStarry;
  const outputToContent = await contentDistance(vgg, plain, chelsea);
  const styleToContent = await contentDistance(vgg, starry, chelsea);
  console.log(`style distance to starry_night: content ${contentToStyle.toFixed(3)}, output ${outputToStyle.toFixed(3)} (ratio ${(outputToStyle / contentToStyle).toFixed(3)}); relu3_2 distance to content: output ${outputToContent.toFixed(3)}, style image ${styleToContent.toFixed(3)}`);
  expect(outputToStyle).toBeLessThanOrEqual(0.35 * contentToStyle);
  expect(outputToContent).toBeLessThan(styleToContent);
}, 120_000);

test('preserve colours keeps the content chroma', async () => {
  const kept = await run({ preserveColors: true });
  const keptDelta = await ycbcrChromaDelta(kept, chelsea);
  const plainDelta = await ycbcrChromaDelta(plain, chelsea);
  const keptToStyle = await styleDistance(vgg, kept, starry);
  console.log(`mean |ΔCb|, |ΔCr| to content: preserved ${keptDelta.cb.toFixed(2)}, ${keptDelta.cr.toFixed(2)}; plain ${plainDelta.cb.toFixed(2)}, ${plainDelta.cr.toFixed(2)}; preserved style distance ${keptToStyle.toFixed(3)}`);
  expect(keptDelta.cb).toBeLessThanOrEqual(6);
  expect(keptDelta.cr).toBeLessThanOrEqual(6);
  expect(plainDelta.cb + plainDelta.cr).toBeGreaterThan(12); // plain stylization does move colours: the check can fail
}, 120_000);

test('strength moves from the content own style to the full style', async () => {
  const [zero, half] = [await run({ strength: 0 }), await run({ strength: 0.5 })];
  const toStyle = [await styleDistance(vgg, zero, starry), await styleDistance(vgg, half, starry), plainToStarry];
  const zeroToContent = await styleDistance(vgg, zero, chelsea);
  console.log(`style distance to starry_night at strength 0, 0.5, 1: ${toStyle.map((d) => d.toFixed(3)).join(', ')}; strength 0 to the content's own style ${zeroToContent.toFixed(3)}`);
  expect(toStyle[0]).toBeGreaterThan(toStyle[1]);
  expect(toStyle[1]).toBeGreaterThan(toStyle[2]);
  // Strength 0 restyles the photo as itself: it is closer in style to the photo than to the painting.
  expect(zeroToContent).toBeLessThan(toStyle[0]);
}, 180_000);

test('style scale: smaller paints finer strokes, at the same result size', async () => {
  const [fine, coarse] = [await run({ styleScale: 0.5 }), await run({ styleScale: 2 })];
  expect([fine.width, fine.height, coarse.width, coarse.height]).toEqual([chelsea.width, chelsea.height, chelsea.width, chelsea.height]);
  const density = [strokeDensity(fine), strokeDensity(plain), strokeDensity(coarse)];
  const toStarry = [await styleDistance(vgg, fine, starry), await styleDistance(vgg, coarse, starry)];
  console.log(`brush marks per 1000 px at style scale 0.5, 1, 2: ${density.map((d) => d.toFixed(1)).join(', ')}; style distance to starry_night at 0.5, 2: ${toStarry.map((d) => d.toFixed(3)).join(', ')}`);
  expect(density[0]).toBeGreaterThan(density[1]);
  expect(density[1]).toBeGreaterThan(density[2]);
  expect(density[0]).toBeGreaterThan(2 * density[2]);
}, 180_000);

test('two styles blend by weight', async () => {
  const screamOnly = await run({ styles: [{ source: 'the_scream', weight: 1 }] });
  const blend = await run({ styles: [{ source: 'starry_night', weight: 1 }, { source: 'the_scream', weight: 1 }] });
  const toStarry = [plainToStarry, await styleDistance(vgg, blend, starry), await styleDistance(vgg, screamOnly, starry)];
  const toScream = [await styleDistance(vgg, plain, scream), await styleDistance(vgg, blend, scream), await styleDistance(vgg, screamOnly, scream)];
  console.log(`starry / 50-50 blend / scream: to starry ${toStarry.map((d) => d.toFixed(3)).join(', ')}; to scream ${toScream.map((d) => d.toFixed(3)).join(', ')}`);
  expect(toStarry[1]).toBeGreaterThan(toStarry[0]);
  expect(toStarry[1]).toBeLessThan(toStarry[2]);
  expect(toScream[1]).toBeLessThan(toScream[0]);
  expect(toScream[1]).toBeGreaterThan(toScream[2]);
}, 180_000);

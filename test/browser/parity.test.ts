// Parity of the converted networks against the original .tflite files: our MobileNetV2 and Magenta networks on
// TF.js WebGL versus the same files on the official TFLite interpreter (@tensorflow/tfjs-tflite, WASM), in one
// Chromium page, on the verified images. Figures are logged so that the issue notes can quote them.
import { BenchSession, imageUrls, type BenchPage } from './support/reference-page';
import type { MagentaParity, MobileNetParity } from '../../bench/page/protocol';

jest.setTimeout(600_000);

let session: BenchSession;
let page: BenchPage;

beforeAll(async () => {
  session = await BenchSession.open();
  page = await session.openPage('webgl');
});

afterAll(async () => {
  await session?.close();
});

test('TF.js runs on WebGL (SwiftShader here)', async () => {
  expect(page.info.backend).toBe('webgl');
  expect(await page.call('backend', [])).toBe('webgl');
});

// Ours emulates the graph's uint8 activation quantization here (`emulateQuantization`), as the reference computes it.
describe('MobileNetV2 (quantization emulated) against mobilenet_v2_1.0_224_quant.tflite', () => {
  let results: MobileNetParity[];
  beforeAll(async () => {
    results = await page.call('mobileNetParity', [[...imageUrls('content', ['.png']), ...imageUrls('styles', ['.jpg'])]]);
    const overlap = results.map((r) => r.ourTop5.filter((i) => r.referenceTop5.includes(i)).length);
    console.log(
      [
        `mobilenet: top-1 agree ${results.filter((r) => r.ourTop5[0] === r.referenceTop5[0]).length}/${results.length}, min top-5 overlap ${Math.min(...overlap)}`,
        ...results.map(
          (r, i) =>
            `  ${r.image}: overlap ${overlap[i]}/5\n    ours ${r.ourLabels.map((l, j) => `${l} ${r.ourTop5Probabilities[j].toFixed(3)}`).join(', ')}\n    ref  ${r.referenceLabels.map((l, j) => `${l} ${r.referenceTop5Probabilities[j].toFixed(3)}`).join(', ')}`,
        ),
      ].join('\n'),
    );
  });

  test('top-1 identical on every image', () => {
    expect(results.length).toBeGreaterThanOrEqual(7);
    for (const r of results) expect({ image: r.image, top1: r.ourLabels[0] }).toEqual({ image: r.image, top1: r.referenceLabels[0] });
  });

  test('top-5 sets share at least 4 labels', () => {
    for (const r of results) {
      const shared = r.ourTop5.filter((i) => r.referenceTop5.includes(i)).length;
      expect({ image: r.image, shared: shared >= 4 ? 'ok' : `${shared}: ${r.ourLabels} vs ${r.referenceLabels}` }).toEqual({ image: r.image, shared: 'ok' });
    }
  });
});

describe('Magenta arbitrary style against style_predict_quantized_256 / style_transfer_f16_384', () => {
  let parity: MagentaParity;
  beforeAll(async () => {
    parity = await page.call('magentaParity', [imageUrls('styles', ['.jpg']), imageUrls('content', ['.png'])]);
    console.log(
      [
        `magenta: min bottleneck cosine ${Math.min(...parity.bottlenecks.map((b) => b.cosine)).toFixed(5)}, max MAD ${Math.max(...parity.transforms.map((t) => t.madOver255)).toExponential(2)}/255`,
        `  transformer inputs: ${parity.transformerInputs}`,
        ...parity.bottlenecks.map((b) => `  ${b.style}: cosine ${b.cosine.toFixed(5)}`),
        ...parity.transforms.map((t) => `  ${t.content} x ${t.style}: MAD ${t.madOver255.toExponential(2)}/255 (max ${t.maxAbsOver255.toExponential(2)}, stylized vs content ${t.referenceFromContentOver255.toFixed(1)}), ours (webgl) ${t.ourMs.toFixed(0)} ms, reference ${t.referenceMs.toFixed(0)} ms`),
      ].join('\n'),
    );
  });

  // The predictor computes the int8 graph's own arithmetic (quantization emulated): 0.99999-1.00000 measured.
  test('style bottlenecks: cosine similarity >= 0.9999', () => {
    expect(parity.bottlenecks.length).toBeGreaterThanOrEqual(4);
    for (const b of parity.bottlenecks) expect({ style: b.style, ok: b.cosine >= 0.9999 || b.cosine }).toEqual({ style: b.style, ok: true });
  });

  test('stylized 384x384 outputs within 4/255 mean absolute difference', () => {
    expect(parity.transforms.length).toBeGreaterThanOrEqual(3);
    for (const t of parity.transforms) expect({ content: t.content, ok: t.madOver255 <= 4 || t.madOver255 }).toEqual({ content: t.content, ok: true });
  });

  test('the reference really stylized (so a small difference is not two unchanged images)', () => {
    // A stylized photo is far from the photo: tens of levels on average, against the few-level bar above.
    for (const t of parity.transforms) expect({ content: t.content, ok: t.referenceFromContentOver255 >= 10 || t.referenceFromContentOver255 }).toEqual({ content: t.content, ok: true });
  });
});

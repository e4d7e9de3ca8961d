// bench/report.ts: our forward rows' ratio to the TFLite interpreter is the one measured in alternating blocks on
// the row's page when there is one, else the ratio of the two rows' warm medians, and only at the reference's size.
import { addRatios, type ReportRow } from '../../bench/report';

const row = (name: string, size: number, warmMs: number, extra?: ReportRow['extra']): ReportRow => ({
  case: name,
  size,
  backend: name.startsWith('reference:') ? 'tflite-wasm' : 'wasm',
  status: 'ok',
  coldMs: warmMs,
  warmMs,
  peakBytes: 0,
  tensorsLeftOver: 0,
  ...(extra ? { extra } : {}),
});

it('prefers the paired ratio, falls back to the ratio of medians, and leaves other sizes without one', () => {
  const rows = [
    row('forward:mobilenet_v2', 224, 30, { pairedRatioToReference: 1.36 }),
    row('forward:mobilenet_v2', 512, 100),
    row('forward:magenta_predictor', 256, 25),
    row('forward:vgg19', 224, 500),
    row('reference:mobilenet_v2', 224, 15),
    row('reference:magenta_predictor', 256, 20),
  ];
  addRatios(rows);
  expect(rows.map((r) => r.ratioToReference)).toEqual([1.36, null, 1.25, undefined, undefined, undefined]);
});

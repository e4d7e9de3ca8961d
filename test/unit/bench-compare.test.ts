// `npm run bench -- --compare`: rows are judged in yardsticks against the committed baseline, and only a row more
// than 25% slower or larger is flagged.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { baselineRows, compareRows, formatComparison, readBaseline, saveBaseline, type Baseline } from '../../bench/compare';
import type { ReportRow } from '../../bench/report';

const MB = 1048576;
const row = (name: string, relative: number | null, peakBytes: number | null, status: ReportRow['status'] = 'ok'): ReportRow => ({
  case: name,
  size: 256,
  backend: 'wasm',
  status,
  coldMs: 1,
  warmMs: 1,
  peakBytes,
  tensorsLeftOver: 0,
  relative,
});

const baseline: Baseline = {
  about: '',
  measuredOn: {},
  rows: [
    { case: 'dream', size: 256, backend: 'wasm', relative: 10, peakBytes: 100 * MB },
    { case: 'blur', size: 256, backend: 'wasm', relative: 2, peakBytes: 1 * MB },
  ],
};

test('a row more than 25% slower in yardsticks, or 25% larger in peak memory, is flagged; within 25% is not', () => {
  const flags = (now: ReportRow) => compareRows(baselineRows([now]), baseline)[0];
  expect(flags(row('dream', 12.4, 100 * MB))).toMatchObject({ timeRatio: 1.24, worse: false });
  expect(flags(row('dream', 12.6, 100 * MB))).toMatchObject({ timeRatio: 1.26, worse: true });
  expect(flags(row('dream', 8, 130 * MB))).toMatchObject({ memoryRatio: 1.3, worse: true });
  // A few MB more on a tiny peak is noise, not a regression.
  expect(flags(row('blur', 2, 3 * MB))).toMatchObject({ memoryRatio: null, worse: false });
});

test('rows without a baseline are new, not flagged; failed rows are left out', () => {
  const comparisons = compareRows(baselineRows([row('invert', 1, null), row('dream', null, null, 'timeout')]), baseline);
  expect(comparisons).toHaveLength(1);
  expect(comparisons[0]).toMatchObject({ baseline: null, timeRatio: null, worse: false });
  expect(formatComparison(comparisons)).toMatch(/new/);
});

test('saving a baseline keeps the rows this run did not measure and replaces the ones it did', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pastiche-baseline-')), 'baseline.json');
  saveBaseline(file, baselineRows([row('dream', 10, null), row('blur', 2, null)]), { machine: 'a' });
  saveBaseline(file, baselineRows([row('dream', 11, null)]), { machine: 'b' });
  const saved = readBaseline(file);
  expect(saved.rows.map((r) => [r.case, r.relative])).toEqual([
    ['blur', 2],
    ['dream', 11],
  ]);
  expect(JSON.parse(readFileSync(file, 'utf8')).measuredOn).toEqual({ machine: 'b' });
  expect(() => readBaseline(path.join(path.dirname(file), 'missing.json'))).toThrow(/--save-baseline/);
});

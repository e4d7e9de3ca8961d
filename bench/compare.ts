// No silent regressions: a committed baseline (bench/baseline.json) keeps each row's cost in yardsticks (its warm
// time over the same page's yardstick, bench/page/yardstick.ts) and its peak memory. A run with
// `--compare bench/baseline.json` prints each row's ratio to it and flags rows more than 25% worse; a run with
// `--save-baseline bench/baseline.json` writes (or updates) the rows it measured. Ratios, not milliseconds: the
// baseline was measured on another machine, but a job that costs 40 yardsticks there costs about 40 here too.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ReportRow } from './report';

/** A row more than this much slower (in yardsticks) or larger (peak bytes) than its baseline is flagged. */
export const WORSE_THAN = 1.25;
/** Peak memory below this is noise (a few tensors more or less), not a regression. */
const MIN_PEAK_BYTES = 16 * 1048576;

export interface BaselineRow {
  case: string;
  size: number;
  backend: string;
  /** Warm time in yardsticks of the same page. */
  relative: number;
  peakBytes: number | null;
}

export interface Baseline {
  about: string;
  measuredOn: Record<string, unknown>;
  rows: BaselineRow[];
}

export interface Comparison {
  row: BaselineRow;
  baseline: BaselineRow | null;
  /** Now over baseline, in yardsticks (> 1 = slower). */
  timeRatio: number | null;
  /** Now over baseline, peak bytes (> 1 = more memory). */
  memoryRatio: number | null;
  worse: boolean;
}

const keyOf = (row: Pick<BaselineRow, 'case' | 'size' | 'backend'>) => `${row.case} ${row.size} ${row.backend}`;
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The rows of a report that can be compared: measured, with a yardstick for their page. */
export function baselineRows(rows: readonly ReportRow[]): BaselineRow[] {
  return rows
    .filter((r): r is ReportRow & { relative: number } => r.status === 'ok' && typeof r.relative === 'number' && Number.isFinite(r.relative))
    .map((r) => ({ case: r.case, size: r.size, backend: r.backend, relative: r.relative, peakBytes: r.peakBytes }));
}

export function compareRows(rows: readonly BaselineRow[], baseline: Baseline): Comparison[] {
  const byKey = new Map(baseline.rows.map((row) => [keyOf(row), row]));
  return rows.map((row) => {
    const before = byKey.get(keyOf(row)) ?? null;
    const timeRatio = before && before.relative > 0 ? round(row.relative / before.relative) : null;
    const bothPeaks = before?.peakBytes != null && row.peakBytes !== null && Math.max(before.peakBytes, row.peakBytes) >= MIN_PEAK_BYTES;
    const memoryRatio = bothPeaks ? round(row.peakBytes! / Math.max(1, before!.peakBytes!)) : null;
    const worse = (timeRatio ?? 0) > WORSE_THAN || (memoryRatio ?? 0) > WORSE_THAN;
    return { row, baseline: before, timeRatio, memoryRatio, worse };
  });
}

export function formatComparison(comparisons: readonly Comparison[]): string {
  const header = ['case', 'size', 'backend', 'yardsticks', 'baseline', 'time x', 'memory x', ''];
  const lines = comparisons.map(({ row, baseline, timeRatio, memoryRatio, worse }) => [
    row.case,
    String(row.size),
    row.backend,
    String(round(row.relative)),
    baseline ? String(round(baseline.relative)) : 'new',
    timeRatio === null ? '' : String(timeRatio),
    memoryRatio === null ? '' : String(memoryRatio),
    worse ? `WORSE (> ${WORSE_THAN}x)` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const table = [header, ...lines].map((cells) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
  const flagged = comparisons.filter((c) => c.worse).length;
  return `${table}\n\n${flagged} of ${comparisons.length} rows more than ${Math.round((WORSE_THAN - 1) * 100)}% worse than the baseline`;
}

export function readBaseline(file: string): Baseline {
  if (!existsSync(file)) throw new Error(`No baseline at ${file}: make one with --save-baseline ${file}.`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Baseline>;
  if (!Array.isArray(parsed.rows)) throw new Error(`${file} is not a bench baseline (no "rows").`);
  return { about: parsed.about ?? '', measuredOn: parsed.measuredOn ?? {}, rows: parsed.rows };
}

/** Writes the rows of this run into the baseline, keeping the rows it did not measure. */
export function saveBaseline(file: string, rows: readonly BaselineRow[], measuredOn: Record<string, unknown>): void {
  const kept = existsSync(file) ? readBaseline(file).rows.filter((old) => !rows.some((row) => keyOf(row) === keyOf(old))) : [];
  const baseline: Baseline = {
    about: 'npm run bench rows as multiples of their page\'s yardstick (bench/page/yardstick.ts) and peak bytes; compared with --compare (bench/compare.ts)',
    measuredOn,
    rows: [...kept, ...rows].sort((a, b) => keyOf(a).localeCompare(keyOf(b))),
  };
  writeFileSync(file, `${JSON.stringify(baseline, null, 2)}\n`);
}

// The report: one row per case, written as JSON after every case (a long run that is stopped still leaves its
// figures) and printed as a short table at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PlannedCase } from './cases';
import { REFERENCE_SIZES } from './cases';
import type { CaseMeasure, ReferenceNetwork } from './page/protocol';

export interface ReportRow {
  case: string;
  size: number;
  backend: string;
  status: 'ok' | 'timeout' | 'error';
  coldMs: number | null;
  warmMs: number | null;
  peakBytes: number | null;
  tensorsLeftOver: number | null;
  /** Our warm time over the reference interpreter's, for the networks that have a .tflite, at its size. */
  ratioToReference?: number | null;
  /** Warm time over the page's yardstick (bench/page/yardstick.ts): what --compare checks against the baseline. */
  relative?: number | null;
  extra?: Record<string, number | string>;
  error?: string;
}

export function rowOf(planned: PlannedCase, result: { measure?: CaseMeasure; status: ReportRow['status']; error?: string }): ReportRow {
  const m = result.measure;
  const finite = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10) / 10);
  return {
    case: planned.name,
    size: planned.size,
    backend: planned.backend,
    status: result.status,
    coldMs: finite(m?.coldMs),
    warmMs: finite(m?.warmMs),
    peakBytes: m?.peakBytes ?? null,
    tensorsLeftOver: m?.tensorsLeftOver ?? null,
    ...(m?.extra ? { extra: m.extra } : {}),
    ...(result.error ? { error: result.error } : {}),
  };
}

/** Fills ratioToReference on our forward rows at each reference model's size: the ratio measured in alternating
 *  blocks on the row's own page where there is one (WASM rows), else the ratio of the two rows' warm medians. */
export function addRatios(rows: ReportRow[]): void {
  for (const row of rows) {
    const network = row.case.startsWith('forward:') ? (row.case.slice(8) as ReferenceNetwork) : null;
    if (!network || !(network in REFERENCE_SIZES)) continue;
    const paired = row.extra?.pairedRatioToReference;
    const reference = rows.find((r) => r.case === `reference:${network}` && r.status === 'ok');
    row.ratioToReference =
      row.size !== REFERENCE_SIZES[network]
        ? null
        : typeof paired === 'number'
          ? paired
          : reference?.warmMs && row.warmMs !== null
            ? Math.round((row.warmMs / reference.warmMs) * 100) / 100
            : null;
  }
}

export function writeReport(file: string, meta: Record<string, unknown>, rows: ReportRow[]): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...meta, rows }, null, 2)}\n`);
}

export function formatTable(rows: ReportRow[]): string {
  const header = ['case', 'size', 'backend', 'cold ms', 'warm ms', 'peak MB', 'left', 'x ref'];
  const lines = rows.map((r) => [
    r.case,
    String(r.size),
    r.backend,
    r.status === 'ok' ? fmt(r.coldMs) : r.status,
    r.status === 'ok' ? fmt(r.warmMs) : '',
    r.peakBytes === null ? '' : (r.peakBytes / 1048576).toFixed(1),
    r.tensorsLeftOver === null ? '' : String(r.tensorsLeftOver),
    r.ratioToReference ? `${r.ratioToReference}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  return [header, ...lines].map((cells) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

const fmt = (v: number | null) => (v === null ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));

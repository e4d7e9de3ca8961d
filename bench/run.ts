// `npm run bench`: runs the planned cases in headless Chromium on the bench page, one page per TF.js backend,
// with a time limit per case (a case over it is recorded as "timeout" and its page replaced), and writes
// bench/report.json plus a table. See bench/options.ts for the flags.
import path from 'node:path';
import { planCases, type PlannedCase } from './cases';
import { parseOptions } from './options';
import { baselineRows, compareRows, formatComparison, readBaseline, saveBaseline } from './compare';
import { addRatios, formatTable, rowOf, writeReport, type ReportRow } from './report';
import { BenchSession, TimeoutError, type BenchPage } from './session';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const planned = planCases(options);
  // Read before hours of measuring: a missing or broken baseline fails now.
  const baseline = options.compare ? readBaseline(path.resolve(options.compare)) : null;
  const out = path.resolve(__dirname, '..', options.out);
  const session = await BenchSession.open({ webgpu: options.backends.includes('webgpu') });
  const rows: ReportRow[] = [];
  const meta: Record<string, unknown> = { startedAt: new Date().toISOString(), options, pages: {} as Record<string, unknown> };
  let page: BenchPage | null = null;
  let pageBackend: string | null = null;
  // Each backend's yardstick, measured on its first page (bench/page/yardstick.ts).
  const yardsticks: Record<string, number> = {};
  meta.yardsticksMs = yardsticks;
  try {
    for (const [index, item] of planned.entries()) {
      if (!page || pageBackend !== item.pageBackend) {
        if (page) await session.discard(page, false);
        page = await session.openPage(item.pageBackend);
        pageBackend = item.pageBackend;
        (meta.pages as Record<string, unknown>)[item.pageBackend] = page.info;
        yardsticks[item.pageBackend] ??= Math.round((await page.call('yardstickMs', [])) * 100) / 100;
      }
      const row = await runOne(page, item, options.timeoutMs);
      if (row.warmMs !== null) row.relative = Math.round((row.warmMs / yardsticks[item.pageBackend]) * 100) / 100;
      if (row.status !== 'ok') {
        // The page may be stuck in a kernel or in a broken state: start the next case on a fresh one.
        await session.discard(page, row.status === 'timeout');
        page = null;
      }
      rows.push(row);
      addRatios(rows);
      writeReport(out, { ...meta, finishedAt: null }, rows);
      console.log(`[${index + 1}/${planned.length}] ${row.case} ${row.size} ${row.backend}: ${row.status === 'ok' ? `cold ${row.coldMs} ms, warm ${row.warmMs} ms` : `${row.status} ${row.error ?? ''}`}`);
    }
  } finally {
    await session.close();
  }
  writeReport(out, { ...meta, finishedAt: new Date().toISOString() }, rows);
  console.log(`\n${formatTable(rows)}\n\nreport: ${path.relative(process.cwd(), out)}`);
  if (baseline) console.log(`\ncompared with ${options.compare}:\n${formatComparison(compareRows(baselineRows(rows), baseline))}`);
  if (options.saveBaseline) {
    saveBaseline(path.resolve(options.saveBaseline), baselineRows(rows), { ...meta, options: undefined });
    console.log(`baseline: ${options.saveBaseline}`);
  }
}

async function runOne(page: BenchPage, item: PlannedCase, timeoutMs: number): Promise<ReportRow> {
  try {
    const measure = await page.call('runCase', [item.spec], timeoutMs);
    return rowOf(item, { measure, status: 'ok' });
  } catch (error) {
    const timedOut = error instanceof TimeoutError;
    return rowOf(item, { status: timedOut ? 'timeout' : 'error', error: timedOut ? `over ${timeoutMs / 1000} s` : String((error as Error).message ?? error).split('\n')[0] });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

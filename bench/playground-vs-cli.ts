// `npx tsx bench/playground-vs-cli.ts`: the plugin as a user meets it, against the CLI (issue #13, points 1 and 7).
// One run of each, on whatever backend the engine chooses by itself (automatic):
//  - cold start: how long the plugin window takes to be usable (its panel drawn) and to have its engine ready, from
//    the moment the window opens (the UI iframe's own clock), the size of dist/ui.html and of the part the window is
//    opened with (the panel: the sandbox keeps the engine's code apart, plugin/ui-document.ts);
//  - the fast style job (Starry Night, the defaults) on the 451x300 sample layer "Chelsea", clicked in the
//    playground: the first job and the same job again (warm), from the click to the "Added" banner (export, engine,
//    result written). Twice, in two fresh sessions: first job clicked as soon as the engine is ready (its background
//    warm-up, ui/engine/warm-up.ts, is cut short), and first job clicked PAUSE_MS later (the warm-up is done);
//  - the same job through the CLI (`node bin/pastiche.cjs style chelsea.png --style starry_night`): the process's
//    wall time and the job time it reports itself.
// Writes bench/report-playground-cli.json (--out FILE) and prints the ratios; --compute gpu|cpu forces a backend.
// It measures, it asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PlaygroundSession } from '../test/browser/support/playground-page';
import { pluginFrame } from '../test/browser/support/engine-harness';
import { splitUiDocument } from '../plugin/ui-document';

const root = path.resolve(__dirname, '..');
const LAYER = 'Chelsea';
const IMAGE = path.join(root, '.cache', 'images', 'content', 'chelsea.png');
/** The second session's pause between "engine ready" and the first click: a user picking a layer, and longer than
 *  the warm-up takes here (about 1 s on 2 busy cores). */
const PAUSE_MS = 3000;

interface WindowTimes {
  /** The panel's Run button was first in the document, ms after the window opened. */
  usableMs: number | null;
  /** The window's first paint with content (the browser's first-contentful-paint). */
  firstPaintMs?: number | null;
  /** "Running on …" was first shown. */
  engineReadyMs: number | null;
}

/**
 * Runs in every frame from its start; in the plugin's window (the srcdoc iframe) it notes when the panel's button and
 * the engine's status first appear, on that window's clock (0 = when the sandbox opened it).
 */
function noteWindowTimes(): void {
  if (location.href !== 'about:srcdoc') return;
  const times: WindowTimes = { usableMs: null, engineReadyMs: null };
  (window as unknown as { __pasticheTimes: WindowTimes }).__pasticheTimes = times;
  // (No named local functions here: tsx wraps them in a helper the page does not have.)
  new MutationObserver(() => {
    if (times.usableMs === null && document.querySelector('[data-testid="run"]')) times.usableMs = performance.now();
    if (times.engineReadyMs === null && /Running on/.test(document.querySelector('[data-testid="engine"]')?.textContent ?? '')) times.engineReadyMs = performance.now();
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

/** Clicks Run in the plugin window and waits for the "Added" banner of that job: ms, on the window's clock. */
function runAndTime(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let running = false;
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="job-error"]')) reject(new Error(document.querySelector('[data-testid="job-error"]')!.textContent ?? 'job failed'));
      running ||= document.querySelector('[data-testid="job-running"]') !== null;
      if (running && document.querySelector('[data-testid="job-done"]')) {
        observer.disconnect();
        resolve(performance.now() - started);
      }
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
    (document.querySelector('[data-testid="run"]') as HTMLButtonElement).click();
  });
}

function runCli(): { wallMs: number; jobMs: number | null; line: string } {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'pastiche-bench-')), 'chelsea-starry.png');
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'pastiche.cjs'), 'style', IMAGE, '--style', 'starry_night', '-o', out], { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`the CLI failed: ${result.stderr}`);
  const line = result.stderr.trim().split('\n').pop() ?? '';
  const seconds = /in ([\d.]+) s$/.exec(line)?.[1];
  return { wallMs: Math.round(wallMs), jobMs: seconds ? Number(seconds) * 1000 : null, line };
}

async function main(): Promise<void> {
  const flag = (name: string) => {
    const index = process.argv.indexOf(name);
    return index > 0 ? process.argv[index + 1] : undefined;
  };
  const out = path.resolve(flag('--out') ?? path.join(root, 'bench', 'report-playground-cli.json'));
  // --compute gpu|cpu: the plugin opens with "Compute on" forced (default: automatic, as for a user).
  const compute = flag('--compute');
  if (compute !== undefined && compute !== 'gpu' && compute !== 'cpu') throw new Error('--compute takes gpu or cpu');
  const uiHtmlBytes = statSync(path.join(root, 'dist', 'ui.html')).size;
  // What the window is opened with: the UI file without the engine's code, which the sandbox cuts out.
  const panelHtmlBytes = Buffer.byteLength(splitUiDocument(readFileSync(path.join(root, 'dist', 'ui.html'), 'utf8')).panel);

  const cli = runCli();
  console.log(`CLI: ${cli.wallMs} ms wall, job ${cli.jobMs} ms (${cli.line})`);

  const atOnce = await measureSession(compute, 0);
  const afterPause = await measureSession(compute, PAUSE_MS);
  const ratio = (a: number, b: number | null) => (b ? Math.round((a / b) * 100) / 100 : null);
  const report = {
    measuredAt: new Date().toISOString(),
    job: `style (fast, starry_night, defaults) on ${LAYER} 451x300`,
    uiHtmlBytes,
    panelHtmlBytes,
    cli,
    sessions: [atOnce, afterPause].map((session) => ({
      ...session,
      firstOverWarm: ratio(session.firstJobMs, session.warmJobMs),
      warmOverCliJob: ratio(session.warmJobMs, cli.jobMs),
      firstOverCliJob: ratio(session.firstJobMs, cli.jobMs),
      warmOverCliWall: ratio(session.warmJobMs, cli.wallMs),
      firstOverCliWall: ratio(session.firstJobMs, cli.wallMs),
    })),
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  for (const session of report.sessions) {
    console.log(
      `first job ${session.pauseMs} ms after ready: first/warm ${session.firstOverWarm}, warm/CLI job ${session.warmOverCliJob}, first/CLI job ${session.firstOverCliJob} (warm/CLI wall ${session.warmOverCliWall})`,
    );
  }
  console.log(`ui.html ${(uiHtmlBytes / 1048576).toFixed(1)} MiB, of which the window gets ${(panelHtmlBytes / 1048576).toFixed(2)} MiB\nreport: ${path.relative(process.cwd(), out)}`);
}

/** One fresh playground: its window's start-up times, then the job twice. */
async function measureSession(compute: 'gpu' | 'cpu' | undefined, pauseMs: number) {
  // With Chromium's WebGPU adapter, as a user of a WebGPU browser has one: automatic measures WebGPU against WASM.
  const session = await PlaygroundSession.open({ webgpu: true, ...(compute ? { compute } : {}), beforeLoad: (page) => page.addInitScript(noteWindowTimes) });
  try {
    const frame = pluginFrame(session);
    const times = await frame.evaluate(() => ({
      ...(window as unknown as { __pasticheTimes: WindowTimes }).__pasticheTimes,
      firstPaintMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    }));
    const engine = { label: await session.engineLabel(), details: await session.ui.getByTestId('engine').getAttribute('title') };
    console.log(`window usable after ${round(times.usableMs)} ms (first paint ${round(times.firstPaintMs ?? null)} ms), engine ready after ${round(times.engineReadyMs)} ms (${engine.details})`);
    await session.page.waitForTimeout(pauseMs);
    await session.clickLayer(LAYER);
    await session.openPanel('Style');
    const firstJobMs = Math.round(await frame.evaluate(runAndTime));
    const warmJobMs = Math.round(await frame.evaluate(runAndTime));
    console.log(`playground fast style on ${LAYER}, first clicked ${pauseMs} ms after ready: first ${firstJobMs} ms, warm ${warmJobMs} ms`);
    return { pauseMs, engine, window: { usableMs: round(times.usableMs), firstPaintMs: round(times.firstPaintMs ?? null), engineReadyMs: round(times.engineReadyMs) }, firstJobMs, warmJobMs };
  } finally {
    await session.close();
  }
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

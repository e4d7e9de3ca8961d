// Puts engine-harness-entry.ts into the plugin's iframe on a playground page and calls it from Node: jobs through
// the real JobRunner and engine host, the engine's TF.js memory, and its worker's JS heap through the DevTools
// protocol (Chromium gives workers no performance.memory).
import * as esbuild from 'esbuild';
import path from 'node:path';
import type { CDPSession, Frame, Worker } from 'playwright-core';
import type { EngineMemory } from '../../../ui/engine/protocol';
import type { Supervision } from '../../../ui/runner/engine-supervisor';
import type { ComputePreference } from '../../../plugin/messages';
import type { EngineHarness, HarnessCollectionJob, HarnessJob, HarnessOutcome } from './engine-harness-entry';
import type { PlaygroundSession } from './playground-page';

export type { HarnessOutcome } from './engine-harness-entry';

let bundled: Promise<string> | null = null;

function harnessCode(): Promise<string> {
  bundled ??= esbuild
    .build({ entryPoints: [path.join(__dirname, 'engine-harness-entry.ts')], bundle: true, write: false, format: 'iife', target: 'es2020', logLevel: 'warning' })
    .then((result) => result.outputFiles[0].text);
  return bundled;
}

/** The plugin UI's frame (the sandboxed srcdoc iframe). */
export function pluginFrame(session: PlaygroundSession): Frame {
  const frame = session.page.frames().find((candidate) => candidate.url() === 'about:srcdoc');
  if (!frame) throw new Error('the plugin iframe is not open');
  return frame;
}

export class EngineHarnessPage {
  /** The worker the harness's engine started in (null when it runs in the iframe). */
  worker: Worker | null = null;

  private constructor(
    private readonly session: PlaygroundSession,
    private readonly frame: Frame,
  ) {}

  /** Injects the harness and starts its engine (in a worker when the page allows it), on the backend `compute` asks
   *  for (automatic by default, with nothing measured before). */
  static async start(session: PlaygroundSession, options: { supervision?: Supervision; compute?: ComputePreference } = {}): Promise<EngineHarnessPage> {
    const frame = pluginFrame(session);
    await frame.evaluate(await harnessCode());
    const harness = new EngineHarnessPage(session, frame);
    const started = await harness.newWorker(() =>
      frame.evaluate(({ supervision, compute }) => (globalThis as unknown as { engineHarness: EngineHarness }).engineHarness.start(supervision, compute), options),
    );
    if (started.where !== 'worker') harness.worker = null;
    return harness;
  }

  /** Runs `action`; the worker that appeared meanwhile becomes this harness's worker. */
  async newWorker<T>(action: () => Promise<T>): Promise<T> {
    const before = new Set(this.session.page.workers());
    const appeared = this.session.page.waitForEvent('worker', { timeout: 120_000 }).catch(() => null);
    const result = await action();
    this.worker = this.session.page.workers().find((worker) => !before.has(worker)) ?? (await appeared);
    return result;
  }

  run(job: HarnessJob): Promise<HarnessOutcome> {
    return this.frame.evaluate((j) => (globalThis as unknown as { engineHarness: EngineHarness }).engineHarness.run(j), job);
  }

  runCollection(job: HarnessCollectionJob): Promise<HarnessOutcome> {
    return this.frame.evaluate((j) => (globalThis as unknown as { engineHarness: EngineHarness }).engineHarness.runCollection(j), job);
  }

  memory(): Promise<EngineMemory> {
    return this.frame.evaluate(() => (globalThis as unknown as { engineHarness: EngineHarness }).engineHarness.memory());
  }

  whereabouts(): Promise<{ where: string; backend: string }> {
    return this.frame.evaluate(() => (globalThis as unknown as { engineHarness: EngineHarness }).engineHarness.whereabouts());
  }
}

/**
 * The JS heap of a worker, after a full garbage collection, read over the DevTools protocol. Playwright gives CDP
 * sessions to pages and frames only, so this attaches to the worker's target from a browser session (non-flat mode:
 * commands travel wrapped in Target.sendMessageToTarget).
 */
export class WorkerHeap {
  private nextId = 1;
  private readonly answers = new Map<number, (result: unknown) => void>();

  private constructor(
    private readonly cdp: CDPSession,
    private readonly sessionId: string,
  ) {
    cdp.on('Target.receivedMessageFromTarget', (event: { sessionId: string; message: string }) => {
      if (event.sessionId !== this.sessionId) return;
      const message = JSON.parse(event.message) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.answers.get(message.id)?.(message.result);
    });
  }

  /** Attaches to the worker whose URL is `url` (workers of the plugin are blob: URLs, one per start). */
  static async attach(session: PlaygroundSession, url: string): Promise<WorkerHeap> {
    const cdp = await session.browser.newBrowserCDPSession();
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
    const target = targetInfos.find((info) => info.type === 'worker' && info.url === url);
    if (!target) throw new Error(`no worker target at ${url}`);
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
    return new WorkerHeap(cdp, sessionId);
  }

  private send(method: string): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.answers.set(id, resolve);
      void this.cdp.send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
  }

  /** Bytes in use on the worker's JS heap after a full collection. */
  async usedAfterGc(): Promise<number> {
    await this.send('HeapProfiler.collectGarbage');
    const usage = (await this.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  }

  async detach(): Promise<void> {
    await this.cdp.detach();
  }
}

// For the fault tests: the plugin's engine worker, the fault drill inside it (ui/engine/fault-drill.ts), and a record
// of every line the panel's progress showed (lines can be on screen for less than a polling interval).
import type { Frame, Worker } from 'playwright-core';
import type { FaultDrill } from '../../../ui/engine/fault-drill';
import type { PlaygroundSession } from './playground-page';
import { pluginFrame } from './engine-harness';

type DrillCall = 'backend' | 'loseWebGLContext' | 'loseWebGPUDevice' | 'failNextGpuAllocation' | 'reportGpuOutOfMemory';

/** Calls the fault drill where the engine runs: in `worker`, or in the plugin's iframe when the engine is there. */
export function drill(where: Worker | Frame, call: DrillCall): Promise<string | boolean> {
  const inEngine = (name: DrillCall) => {
    const found = (globalThis as unknown as { pasticheFaultDrill?: FaultDrill }).pasticheFaultDrill;
    if (!found) throw new Error('no fault drill in this engine');
    return found[name]();
  };
  // Worker and Frame both evaluate a function with one argument; TypeScript cannot call their union.
  return (where as Frame).evaluate(inEngine, call);
}

/** The worker the plugin's engine runs in now (the newest: a replaced one has closed). */
export function engineWorker(session: PlaygroundSession): Worker {
  const workers = session.page.workers();
  if (workers.length === 0) throw new Error('the engine has no worker');
  return workers[workers.length - 1];
}

/** Makes the worker throw an exception that nothing catches, as a bug in the engine would. */
export async function crashWorker(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated engine crash');
    }, 0);
  });
}

/** Makes the worker spin forever: it answers nothing again (the host must terminate it). */
export async function hangWorker(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    setTimeout(() => {
      for (;;) {
        // hung
      }
    }, 0);
  });
}

/** Starts recording the panel's progress lines; the returned function reads them. */
export async function recordProgressLines(session: PlaygroundSession): Promise<() => Promise<string[]>> {
  const frame = pluginFrame(session);
  await frame.evaluate(() => {
    const lines: string[] = [];
    (globalThis as unknown as { progressLines: string[] }).progressLines = lines;
    new MutationObserver(() => {
      // The first line of the running job's block: "<label>: <percent>% · <message>".
      const text = document.querySelector('[data-testid="job-running"]')?.firstElementChild?.textContent;
      if (text && lines[lines.length - 1] !== text) lines.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => frame.evaluate(() => (globalThis as unknown as { progressLines: string[] }).progressLines.slice());
}

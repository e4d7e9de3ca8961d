// Runs in the plugin's iframe on the playground (bundled and injected by engine-harness.ts): a second engine from
// the page's own engine code, started by the real engine host and driven by the real JobRunner, so tests can run
// many jobs and read the engine's memory without clicking through panels. Inputs are made here, small and seeded.
import { startEngineHost, type StartedEngine } from '../../../ui/runner/engine-host';
import { requestEngineCode } from '../../../ui/runner/engine-code';
import { canvasPng } from '../../../ui/engine/png';
import { JobRunner } from '../../../ui/runner/job-runner';
import type { Supervision } from '../../../ui/runner/engine-supervisor';
import type { ComputePreference, JobRequest } from '../../../plugin/messages';
import type { EngineMemory } from '../../../ui/engine/protocol';

export interface HarnessJob {
  job: JobRequest;
  /** Side of the square source image, px. */
  size: number;
  /** Changes the source's pixels, so caches keyed by content miss. */
  seed?: number;
  /** Side of a reference image (a style or sample layer), px. */
  referenceSize?: number;
}

export interface HarnessCollectionJob {
  job: JobRequest;
  size: number;
  items: number;
  withQuery: boolean;
  seed?: number;
}

export interface HarnessOutcome {
  ok: boolean;
  ms: number;
  /** The result's size, or the error's code and message. */
  detail: string;
}

let engine: StartedEngine | null = null;
let runner: JobRunner | null = null;
let serial = 0;

/** A seeded pattern: smooth gradients plus a few shapes, PNG-encoded by the browser. */
async function patternPng(size: number, seed: number): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(size, size);
  const context = canvas.getContext('2d')!;
  const gradient = context.createLinearGradient(0, 0, size, size);
  gradient.addColorStop(0, `hsl(${(seed * 47) % 360} 70% 50%)`);
  gradient.addColorStop(1, `hsl(${(seed * 47 + 160) % 360} 60% 40%)`);
  context.fillStyle = gradient;
  context.fillRect(0, 0, size, size);
  for (let i = 0; i < 4; i++) {
    context.fillStyle = `hsl(${(seed * 13 + i * 90) % 360} 80% 60%)`;
    context.beginPath();
    context.arc(((seed + i * 7) % 5) * (size / 5) + size / 10, (i * size) / 4 + size / 8, size / 8, 0, Math.PI * 2);
    context.fill();
  }
  return canvasPng(canvas);
}

async function timed(work: () => Promise<string>): Promise<HarnessOutcome> {
  const started = performance.now();
  try {
    const detail = await work();
    return { ok: true, ms: Math.round(performance.now() - started), detail };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    return { ok: false, ms: Math.round(performance.now() - started), detail: `${code ?? 'thrown'}: ${message ?? String(error)}` };
  }
}

const harness = {
  async start(supervision?: Supervision, compute: ComputePreference = 'auto'): Promise<{ where: string; backend: string }> {
    engine = await startEngineHost(await requestEngineCode(), { ...(supervision ? { supervision } : {}), preference: () => ({ compute, known: [] }) });
    runner = new JobRunner(engine);
    return { where: engine.where, backend: engine.backend };
  },

  /** Where the engine runs now (it changes when a dead worker is replaced by one in the iframe). */
  whereabouts(): { where: string; backend: string } {
    return { where: engine!.where, backend: engine!.backend };
  },

  async run({ job, size, seed = 0, referenceSize }: HarnessJob): Promise<HarnessOutcome> {
    const sourcePng = await patternPng(size, seed);
    const referencePng = referenceSize ? await patternPng(referenceSize, seed + 1000) : undefined;
    return timed(async () => {
      const outcome = await runner!.run({ id: `harness-${++serial}`, job, sourcePng, referencePng, width: size, height: size });
      return `${outcome.width}x${outcome.height} in ${outcome.tiles.length} tile(s)`;
    });
  },

  async runCollection({ job, size, items, withQuery, seed = 0 }: HarnessCollectionJob): Promise<HarnessOutcome> {
    const layers: Array<{ id: string; png: Uint8Array }> = [];
    for (let i = 0; i < items; i++) layers.push({ id: `layer-${i}`, png: await patternPng(size, seed * 31 + i) });
    const query = withQuery ? { id: 'query', png: await patternPng(size, seed * 31 + 500) } : undefined;
    return timed(async () => {
      const result = await runner!.runCollection({ id: `harness-${++serial}`, job, items: layers, ...(query ? { query } : {}) });
      return result.kind;
    });
  },

  memory(): Promise<EngineMemory> {
    return runner!.memory();
  },
};

export type EngineHarness = typeof harness;

Object.assign(globalThis, { engineHarness: harness });

// The engine's side of the protocol, wherever it runs: every incoming message is checked against the schema; jobs
// run one at a time (GPU memory holds one job's tensors) and each is answered once, with its result or a typed error;
// cancel and finish reach the job they name. What depends on the host (image codec, networks, the GPU fallback) comes
// in as services, so a Node test drives this very code with a fake channel on TF.js's CPU backend.
import * as tf from '@tensorflow/tfjs';
import { runCollectionTechnique, runTechnique } from '../../techniques/run-technique';
import { parseParams, techniqueSpec } from '../../techniques/registry';
import type { TechniqueSpec } from '../../techniques/technique-spec';
import { PasticheError, toErrorData, type PasticheErrorData } from '../../techniques/errors';
import { MAX_IMAGE_SIDE, splitIntoColumns, splitIntoTiles } from '../../techniques/geometry';
import type { AssetLoader, TechniqueResult } from '../../techniques/job';
import type { RgbaImage } from '../../techniques/image';
import type { Networks } from '../../models/registry';
import { MAX_MESSAGE_TEXT, type BackendPreference, type ResultTile } from '../../plugin/messages';
import type { BackendReport } from './backend';
import { parseEngineMessage, type Channel, type EngineCollectionJob, type EngineJob, type EngineToUi, type UiToEngine } from './protocol';
import { RunTimes, ShownProgress } from './progress-estimate';
import type { Attempt, GpuFallback } from './gpu-fallback';

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** PNG bytes <-> RGBA: the browser's codecs in the engine, pngjs in Node tests. */
export interface ImageCodec {
  /** Throws PasticheError('bad-input') for bytes that are not an image. */
  decode(bytes: Uint8Array): Promise<RgbaImage>;
  encode(image: RgbaImage, region: Region): Promise<Uint8Array>;
}

export interface EngineServices {
  /** The networks of the backend TF.js computes on now. */
  networks(): Networks;
  assets: AssetLoader;
  codec: ImageCodec;
  /** Prepares WebGL convolutions for a job of this many pixels (nothing on other backends). */
  fitConvolutionsTo(pixels: number): void;
  /** Retries a job on the CPU when the GPU fails under it; absent where there is no GPU to fail. */
  gpu?: GpuFallback;
  /** Moves the engine to the backend a preference asks for (the "Compute on" setting); absent where the host has one
   *  backend (Node tests): the engine then stays where it is. */
  useBackend?(preference: BackendPreference): Promise<BackendReport>;
  /** Pays the first job's once-per-session costs ahead of it (warm-up.ts), between jobs; stops when `signal` fires.
   *  Absent: no warm-up (Node tests). */
  warmUp?(signal: AbortSignal): Promise<void>;
}

type EngineChannel = Channel<UiToEngine, EngineToUi>;

export function handleEngineMessages(channel: EngineChannel, services: EngineServices): void {
  /** Per queued or running job: its cancel signal and its "stop and keep" signal. */
  const running = new Map<string, { cancel: AbortController; finish: AbortController }>();
  let queue = Promise.resolve();
  const runTimes = new RunTimes();
  const tries = <T>(cancel: AbortSignal, job: (attempt: Attempt) => Promise<T>) => (services.gpu ? services.gpu.run(job, cancel) : job({ signal: cancel }));

  /** Work after the work queued before it. Work reports its own errors; a throw past that must not stop the queue. */
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch(() => {});
  };

  /** The warm-up waiting or running: a job's arrival stops it (the user's job comes first). */
  let warming: AbortController | null = null;
  const warm = () => {
    const warmUp = services.warmUp;
    if (!warmUp) return;
    warming?.abort();
    const controller = (warming = new AbortController());
    enqueue(async () => {
      // Only ahead of the first job: a job waiting, or one that came first, warms what it uses itself.
      if (controller.signal.aborted || running.size > 0) return;
      try {
        await warmUp(controller.signal);
      } catch {
        // Stopped, or failed: either way the next job does its own loading and reports its own errors.
      } finally {
        if (warming === controller) warming = null;
      }
    });
  };
  warm();

  channel.addEventListener('message', ({ data }) => {
    const message = parseEngineMessage(data);
    if (!message) return; // not one of ours: ignored
    switch (message.type) {
      case 'ping':
        channel.postMessage({ type: 'pong' });
        return;
      case 'memory':
        // Between jobs, so the figures are not one job's working set.
        enqueue(async () => channel.postMessage({ type: 'memory', id: message.id, ...engineMemory() }));
        return;
      case 'cancel':
        running.get(message.id)?.cancel.abort();
        return;
      case 'finish':
        running.get(message.id)?.finish.abort();
        return;
      case 'use-backend': {
        const { id, preference } = message;
        // Between jobs: a job keeps the backend it started on (its networks live there).
        enqueue(async () => {
          try {
            const before = tf.getBackend();
            const report = services.useBackend ? await services.useBackend(preference) : { backend: before, reason: 'only' as const };
            channel.postMessage({ type: 'backend', id, ...report });
            if (report.backend !== before) warm(); // the new backend's own kernels and weights
          } catch (error) {
            channel.postMessage({ type: 'error', id, error: errorData(error) });
          }
        });
        return;
      }
    }
    const { id } = message.job;
    if (running.has(id)) {
      // Two jobs under one id could not be told apart: the second is refused, the first runs on.
      channel.postMessage({ type: 'error', id, error: errorData(new PasticheError('bad-input', 'A job with this id is already running.')) });
      return;
    }
    warming?.abort();
    const signals = { cancel: new AbortController(), finish: new AbortController() };
    running.set(id, signals);
    const work = message.type === 'run' ? () => runJob(message.job, signals.cancel.signal, signals.finish.signal) : () => runCollection(message.job, signals.cancel.signal);
    enqueue(async () => {
      const backend = tf.getBackend();
      try {
        await work();
      } finally {
        running.delete(id);
        // The GPU was lost under the job: it finished on the CPU, where this engine now stays. Said unasked, so the
        // panel's "Running on GPU" does not go on claiming the GPU.
        if (tf.getBackend() !== backend) channel.postMessage({ type: 'backend', id: `after-${id}`, backend: tf.getBackend(), reason: 'gpu-lost' });
      }
    });
  });

  async function runJob(job: EngineJob, cancel: AbortSignal, finishEarly: AbortSignal): Promise<void> {
    try {
      if (cancel.aborted) throw new PasticheError('cancelled', 'Cancelled.');
      const source = await services.codec.decode(job.sourcePng);
      const reference = job.referencePng ? await services.codec.decode(job.referencePng) : undefined;
      const pixels = Math.max(source.width * source.height, outputPixels(job));
      const result = await tries(cancel, async ({ signal, notice, tileScale }) => {
        // A retry in smaller tiles also leaves out im2col's large unfolded matrices (as for a large image).
        services.fitConvolutionsTo(tileScale ? Infinity : pixels);
        // The same technique with the same settings on the same backend: its time per pixel drives the estimate.
        const timingKey = `${tf.getBackend()}:${job.job.technique}:${JSON.stringify(job.job.params)}`;
        const startedAt = performance.now();
        const shown = new ShownProgress(startedAt, runTimes.expected(timingKey, pixels));
        let reportedAt = -Infinity;
        const report = (progress: { fraction: number; message?: string }, preview?: RgbaImage) => {
          // An abandoned try (the GPU was lost under it) may still wake up: it reports nothing more.
          if (signal.aborted && !cancel.aborted) return;
          // A fast loop on the CPU reports thousands of times a second, and every report redraws the panel: a few a
          // second are shown, previews always.
          const now = performance.now();
          if (!preview && now - reportedAt < PROGRESS_INTERVAL_MS) return;
          reportedAt = now;
          const message = notice && progress.message ? `${notice} · ${progress.message}` : (notice ?? progress.message);
          channel.postMessage({ type: 'progress', id: job.id, progress: { ...progress, ...(message ? { message } : {}) }, ...(preview ? { preview } : {}) });
        };
        if (notice) report({ fraction: 0 });
        const ticker = setInterval(() => {
          const progress = shown.tick(performance.now());
          if (progress) report(progress);
        }, ESTIMATE_TICK_MS);
        try {
          const outcome = await runTechnique(job.job.technique, { source, reference }, job.job.params, {
            signal,
            finishEarly,
            ...(tileScale ? { tileScale } : {}),
            networks: services.networks(),
            assets: services.assets,
            onProgress: ({ preview, fraction, message }) => report(shown.reported(fraction, message), preview),
          });
          if (!finishEarly.aborted) runTimes.record(timingKey, pixels, performance.now() - startedAt);
          return outcome;
        } finally {
          clearInterval(ticker);
        }
      });
      const tiles: ResultTile[] = [];
      for (const region of resultRegions(job, result)) {
        tiles.push({ ...region, png: await services.codec.encode(result, region) });
      }
      channel.postMessage(
        { type: 'result', id: job.id, width: result.width, height: result.height, tiles, ...(result.facts ? { facts: result.facts } : {}) },
        tiles.map((tile) => tile.png.buffer),
      );
    } catch (error) {
      channel.postMessage({ type: 'error', id: job.id, error: errorData(error) });
    }
  }

  async function runCollection(job: EngineCollectionJob, cancel: AbortSignal): Promise<void> {
    try {
      if (cancel.aborted) throw new PasticheError('cancelled', 'Cancelled.');
      const decode = async (layer: { id: string; png: Uint8Array }) => ({ id: layer.id, image: await services.codec.decode(layer.png) });
      const items: Array<{ id: string; image: RgbaImage }> = [];
      for (const layer of job.items) items.push(await decode(layer));
      const query = job.query ? await decode(job.query) : undefined;
      const result = await tries(cancel, ({ signal, notice }) => {
        services.fitConvolutionsTo(MOBILENET_INPUT_PIXELS);
        return runCollectionTechnique(job.job.technique, { ...(query ? { query } : {}), items }, job.job.params, {
          signal,
          networks: services.networks(),
          assets: services.assets,
          onProgress: ({ preview: _preview, message, ...progress }) => {
            if (signal.aborted && !cancel.aborted) return;
            const line = notice && message ? `${notice} · ${message}` : (notice ?? message);
            channel.postMessage({ type: 'progress', id: job.id, progress: { ...progress, ...(line ? { message: line } : {}) } });
          },
        });
      });
      channel.postMessage({ type: 'collection-result', id: job.id, result });
    } catch (error) {
      channel.postMessage({ type: 'error', id: job.id, error: errorData(error) });
    }
  }
}

/** A typed error as it crosses to the UI: one short paragraph at most (the sandbox refuses longer ones). */
function errorData(error: unknown): PasticheErrorData {
  const data = toErrorData(error);
  return data.message.length <= MAX_MESSAGE_TEXT ? data : { ...data, message: `${data.message.slice(0, MAX_MESSAGE_TEXT - 1)}…` };
}

function engineMemory() {
  const { numTensors, numBytes } = tf.memory();
  const heap = (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
  return { numTensors, numBytes, backend: tf.getBackend(), ...(heap !== undefined ? { jsHeapBytes: heap } : {}) };
}

/** The pieces a result crosses in: one per cell of a labelled row (each becomes its own image), else tiles of at
 *  most MAX_IMAGE_SIDE px (Figma's image limit). */
function resultRegions(job: EngineJob, result: TechniqueResult) {
  const spec = techniqueSpec(job.job.technique) as unknown as TechniqueSpec;
  const layout = spec.layout?.(parseParams(job.job.technique, job.job.params) as never);
  const cells = result.facts?.cells?.length ?? 0;
  if (layout?.kind === 'labelled-row' && cells > 0) return splitIntoColumns(result.width, result.height, cells);
  return splitIntoTiles(result.width, result.height, MAX_IMAGE_SIDE);
}

/** How often the progress estimate may move the bar. */
const ESTIMATE_TICK_MS = 250;

/** The least time between two progress reports of a job (previews excepted). */
const PROGRESS_INTERVAL_MS = 100;

/** Collections embed 224 px views, a batch at a time. */
const MOBILENET_INPUT_PIXELS = 8 * 224 * 224;

/** The result's pixel count: the technique's own when its parameters set a size, else the source's. */
function outputPixels(job: EngineJob): number {
  const spec = techniqueSpec(job.job.technique) as unknown as TechniqueSpec;
  return spec.resultPixels?.(parseParams(job.job.technique, job.job.params) as never, job.width, job.height) ?? job.width * job.height;
}

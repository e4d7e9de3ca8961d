// The engine: receives jobs as PNG bytes, runs the technique with TF.js, answers with PNG tiles.
// One job at a time, so GPU memory holds one job's tensors; cancel aborts the running job's signal.
import * as tf from '@tensorflow/tfjs';
import { runCollectionTechnique, runTechnique } from '../../techniques/run-technique';
import { parseParams, techniqueSpec } from '../../techniques/registry';
import type { TechniqueSpec } from '../../techniques/technique-spec';
import { PasticheError, toErrorData } from '../../techniques/errors';
import { MAX_IMAGE_SIDE, splitIntoColumns, splitIntoTiles } from '../../techniques/geometry';
import type { TechniqueResult } from '../../techniques/job';
import type { ResultTile } from '../../plugin/messages';
import { parseEngineMessage, type Channel, type EngineCollectionJob, type EngineJob, type EngineToUi, type UiToEngine } from './protocol';
import { decodePng, encodePng } from './png';
import { fitConvolutionsTo, prepareBackend } from './backend';
import { RunTimes, ShownProgress } from './progress-estimate';
import { bundledAssets, bundledNetworks } from './resources';

export async function startEngine(channel: Channel<UiToEngine, EngineToUi>, where: 'worker' | 'iframe'): Promise<void> {
  const backend = await prepareBackend(where);
  if (!backend.ok) {
    channel.postMessage({ type: 'unavailable', reason: backend.reason });
    return;
  }
  const networks = bundledNetworks();
  /** Per queued or running job: its cancel signal and its "stop and keep" signal. */
  const running = new Map<string, { cancel: AbortController; finish: AbortController }>();
  let queue = Promise.resolve();
  const runTimes = new RunTimes();

  channel.addEventListener('message', ({ data }) => {
    const message = parseEngineMessage(data);
    if (!message) return; // not one of ours: ignored
    if (message.type === 'cancel') {
      running.get(message.id)?.cancel.abort();
      return;
    }
    if (message.type === 'finish') {
      running.get(message.id)?.finish.abort();
      return;
    }
    const signals = { cancel: new AbortController(), finish: new AbortController() };
    running.set(message.job.id, signals);
    const work = message.type === 'run' ? () => runJob(message.job, signals.cancel.signal, signals.finish.signal) : () => runCollection(message.job, signals.cancel.signal);
    queue = queue.then(work).finally(() => running.delete(message.job.id));
  });

  async function runJob(job: EngineJob, signal: AbortSignal, finishEarly: AbortSignal): Promise<void> {
    try {
      if (signal.aborted) throw new PasticheError('cancelled', 'Cancelled.');
      const source = await decodePng(job.sourcePng);
      const reference = job.referencePng ? await decodePng(job.referencePng) : undefined;
      const pixels = Math.max(source.width * source.height, outputPixels(job));
      fitConvolutionsTo(pixels);
      // The same technique with the same settings: its time per pixel in this session drives the estimate.
      const timingKey = `${job.job.technique}:${JSON.stringify(job.job.params)}`;
      const startedAt = performance.now();
      const shown = new ShownProgress(startedAt, runTimes.expected(timingKey, pixels));
      const ticker = setInterval(() => {
        const progress = shown.tick(performance.now());
        if (progress) channel.postMessage({ type: 'progress', id: job.id, progress });
      }, ESTIMATE_TICK_MS);
      let result: TechniqueResult;
      try {
        result = await runTechnique(job.job.technique, { source, reference }, job.job.params, {
          signal,
          finishEarly,
          networks,
          assets: bundledAssets,
          onProgress: ({ preview, fraction, message }) => channel.postMessage({ type: 'progress', id: job.id, progress: shown.reported(fraction, message), preview }),
        });
      } finally {
        clearInterval(ticker);
      }
      if (!finishEarly.aborted) runTimes.record(timingKey, pixels, performance.now() - startedAt);
      const tiles: ResultTile[] = [];
      for (const region of resultRegions(job, result)) {
        tiles.push({ ...region, png: await encodePng(result, region) });
      }
      channel.postMessage(
        { type: 'result', id: job.id, width: result.width, height: result.height, tiles, ...(result.facts ? { facts: result.facts } : {}) },
        tiles.map((tile) => tile.png.buffer),
      );
    } catch (error) {
      channel.postMessage({ type: 'error', id: job.id, error: toErrorData(error) });
    }
  }

  async function runCollection(job: EngineCollectionJob, signal: AbortSignal): Promise<void> {
    try {
      if (signal.aborted) throw new PasticheError('cancelled', 'Cancelled.');
      const decode = async (layer: { id: string; png: Uint8Array }) => ({ id: layer.id, image: await decodePng(layer.png) });
      const items = [];
      for (const layer of job.items) items.push(await decode(layer));
      const query = job.query ? await decode(job.query) : undefined;
      fitConvolutionsTo(MOBILENET_INPUT_PIXELS);
      const result = await runCollectionTechnique(job.job.technique, { ...(query ? { query } : {}), items }, job.job.params, {
        signal,
        networks,
        assets: bundledAssets,
        onProgress: ({ preview: _preview, ...progress }) => channel.postMessage({ type: 'progress', id: job.id, progress }),
      });
      channel.postMessage({ type: 'collection-result', id: job.id, result });
    } catch (error) {
      channel.postMessage({ type: 'error', id: job.id, error: toErrorData(error) });
    }
  }

  channel.postMessage({ type: 'ready', backend: tf.getBackend(), renderer: backend.renderer });
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

/** Collections embed 224 px views, a batch at a time. */
const MOBILENET_INPUT_PIXELS = 8 * 224 * 224;

/** The result's pixel count: the technique's own when its parameters set a size, else the source's. */
function outputPixels(job: EngineJob): number {
  const spec = techniqueSpec(job.job.technique) as unknown as TechniqueSpec;
  return spec.resultPixels?.(parseParams(job.job.technique, job.job.params) as never, job.width, job.height) ?? job.width * job.height;
}

// The engine: receives jobs as PNG bytes, runs the technique with TF.js, answers with PNG tiles.
// One job at a time, so GPU memory holds one job's tensors; cancel aborts the running job's signal.
import * as tf from '@tensorflow/tfjs';
import { runTechnique } from '../../techniques';
import { PasticheError, toErrorData } from '../../techniques/errors';
import { splitIntoTiles } from '../../techniques/tiles';
import { MAX_IMAGE_SIDE, type ResultTile } from '../../plugin/messages';
import type { Channel, EngineJob, EngineToUi, UiToEngine } from './protocol';
import { decodePng, encodePng } from './png';
import { fitConvolutionsTo, prepareBackend } from './backend';
import { bundledAssets, useBundledWeights } from './resources';

export async function startEngine(channel: Channel<UiToEngine, EngineToUi>, where: 'worker' | 'iframe'): Promise<void> {
  const backend = await prepareBackend(where);
  if (!backend.ok) {
    channel.postMessage({ type: 'unavailable', reason: backend.reason });
    return;
  }
  useBundledWeights();
  /** Per queued or running job: its cancel signal and its "stop and keep" signal. */
  const running = new Map<string, { cancel: AbortController; finish: AbortController }>();
  let queue = Promise.resolve();

  channel.addEventListener('message', ({ data: message }) => {
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
    queue = queue
      .then(() => runJob(message.job, signals.cancel.signal, signals.finish.signal))
      .finally(() => running.delete(message.job.id));
  });

  async function runJob(job: EngineJob, signal: AbortSignal, finishEarly: AbortSignal): Promise<void> {
    try {
      if (signal.aborted) throw new PasticheError('cancelled', 'Cancelled.');
      const source = await decodePng(job.sourcePng);
      const reference = job.referencePng ? await decodePng(job.referencePng) : undefined;
      fitConvolutionsTo(Math.max(source.width * source.height, outputPixels(job)));
      const result = await runTechnique(job.job.technique, { source, reference }, job.job.params, {
        signal,
        finishEarly,
        assets: bundledAssets,
        onProgress: ({ preview, ...progress }) => channel.postMessage({ type: 'progress', id: job.id, progress, preview }),
      });
      const tiles: ResultTile[] = [];
      for (const region of splitIntoTiles(result.width, result.height, MAX_IMAGE_SIDE)) {
        tiles.push({ ...region, png: await encodePng(result, region) });
      }
      channel.postMessage(
        { type: 'result', id: job.id, width: result.width, height: result.height, tiles },
        tiles.map((tile) => tile.png.buffer),
      );
    } catch (error) {
      channel.postMessage({ type: 'error', id: job.id, error: toErrorData(error) });
    }
  }

  channel.postMessage({ type: 'ready', backend: tf.getBackend(), renderer: backend.renderer });
}

/** The result's pixel count when the job asks for a size of its own (style: longest side), else 0. */
function outputPixels(job: EngineJob): number {
  const size = (job.job.params as { size?: number }).size;
  if (!size) return 0;
  const long = Math.max(job.width, job.height);
  return Math.round((job.width * size) / long) * Math.round((job.height * size) / long);
}

// The engine: receives jobs as PNG bytes, runs the technique with TF.js, answers with PNG tiles.
// One job at a time, so GPU memory holds one job's tensors; cancel aborts the running job's signal.
import * as tf from '@tensorflow/tfjs';
import { runTechnique } from '../../techniques';
import { PasticheError, toErrorData } from '../../techniques/errors';
import { splitIntoTiles } from '../../techniques/tiles';
import { MAX_IMAGE_SIDE, type ResultTile } from '../../plugin/messages';
import type { Channel, EngineJob, EngineToUi, UiToEngine } from './protocol';
import { decodePng, encodePng } from './png';
import { prepareBackend } from './backend';
import { bundledAssets, useBundledWeights } from './resources';

export async function startEngine(channel: Channel<UiToEngine, EngineToUi>, where: 'worker' | 'iframe'): Promise<void> {
  const backend = await prepareBackend(where);
  if (!backend.ok) {
    channel.postMessage({ type: 'unavailable', reason: backend.reason });
    return;
  }
  useBundledWeights();
  const running = new Map<string, AbortController>();
  let queue = Promise.resolve();

  channel.addEventListener('message', ({ data: message }) => {
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(message.job.id, controller);
    queue = queue.then(() => runJob(message.job, controller.signal)).finally(() => running.delete(message.job.id));
  });

  async function runJob(job: EngineJob, signal: AbortSignal): Promise<void> {
    try {
      if (signal.aborted) throw new PasticheError('cancelled', 'Cancelled.');
      const source = await decodePng(job.sourcePng);
      const reference = job.referencePng ? await decodePng(job.referencePng) : undefined;
      const result = await runTechnique(job.job.technique, { source, reference }, job.job.params, {
        signal,
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

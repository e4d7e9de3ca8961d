// The engine: receives jobs as PNG bytes, runs the technique with TF.js, answers with PNG tiles. This file picks the
// backend and wires the browser's pieces (codecs, bundled networks and images, the GPU fallback) to the message
// handling of engine-messages.ts.
import * as tf from '@tensorflow/tfjs';
import type { Channel, EngineToUi, UiToEngine } from './protocol';
import { decodePng, encodePng } from './png';
import { fitConvolutionsTo, prepareBackend } from './backend';
import { bundledAssets, bundledNetworks } from './resources';
import { handleEngineMessages } from './engine-messages';
import { BackendNetworks } from './backend-networks';
import { WebglFallback } from './gpu-fallback';
import { useWasmBackend } from './wasm-backend';
import { installFaultDrill } from './fault-drill';
import { yieldOnReads } from './yield-on-read';

export async function startEngine(channel: Channel<UiToEngine, EngineToUi>, where: 'worker' | 'iframe'): Promise<void> {
  const backend = await prepareBackend(where, useWasmBackend);
  if (!backend.ok) {
    channel.postMessage({ type: 'unavailable', reason: backend.reason });
    return;
  }
  // The iframe's last resort, TF.js's JS CPU backend, has the same instant reads as WASM.
  if (tf.getBackend() === 'cpu') yieldOnReads('cpu');
  const networks = new BackendNetworks(bundledNetworks);
  handleEngineMessages(channel, {
    networks: () => networks.current(),
    assets: bundledAssets,
    codec: { decode: decodePng, encode: encodePng },
    fitConvolutionsTo,
    gpu: tf.getBackend() === 'webgl' ? new WebglFallback({ use: useWasmBackend, releaseNetworks: (name) => networks.release(name) }) : undefined,
  });
  installFaultDrill();
  channel.postMessage({ type: 'ready', backend: tf.getBackend(), renderer: backend.renderer });
}

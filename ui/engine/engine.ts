// The engine: receives jobs as PNG bytes, runs the technique with TF.js, answers with PNG tiles. This file waits for
// the host's first backend preference, chooses the backend (backend-session.ts) and wires the browser's pieces
// (codecs, bundled networks and images, the GPU fallback) to the message handling of engine-messages.ts.
import { parseEngineMessage, type Channel, type EngineToUi, type UiToEngine } from './protocol';
import type { BackendPreference } from '../../plugin/messages';
import { decodePng, encodePng } from './png';
import { fitConvolutionsTo } from './backend';
import { bundledAssets, bundledNetworks } from './resources';
import { handleEngineMessages } from './engine-messages';
import { BackendNetworks } from './backend-networks';
import { BackendSession } from './backend-session';
import { installFaultDrill } from './fault-drill';
import { warmUp, worthWarming } from './warm-up';
import { PasticheError } from '../../techniques/errors';

export async function startEngine(channel: Channel<UiToEngine, EngineToUi>, where: 'worker' | 'iframe'): Promise<void> {
  const preference = await firstPreference(channel);
  const networks = new BackendNetworks(bundledNetworks);
  const backends = new BackendSession(networks);
  const choice = await backends.prepare(preference, where === 'worker');
  if (!choice.ok) {
    channel.postMessage({ type: 'unavailable', reason: choice.reason });
    return;
  }
  const codec = { decode: decodePng, encode: encodePng };
  handleEngineMessages(channel, {
    networks: () => networks.current(),
    assets: bundledAssets,
    codec,
    fitConvolutionsTo,
    get gpu() {
      return backends.gpu;
    },
    async useBackend(next) {
      const switched = await backends.prepare(next, false);
      if (!switched.ok) throw new PasticheError('backend', switched.reason); // never: a running engine does not decline
      await backends.releaseOthers();
      return switched.report;
    },
    async warmUp(signal) {
      if (backends.report && worthWarming(backends.report)) await warmUp({ networks: networks.current(), assets: bundledAssets, codec, signal });
    },
  });
  installFaultDrill();
  channel.postMessage({ type: 'ready', ...choice.report });
}

/** The host's first 'use-backend': the engine chooses nothing before it knows the user's setting and what was
 *  measured before (calibrating on every start would cost the panel up to a second each time). */
function firstPreference(channel: Channel<UiToEngine, EngineToUi>): Promise<BackendPreference> {
  return new Promise((resolve) => {
    let started = false;
    channel.addEventListener('message', ({ data }) => {
      const message = started ? null : parseEngineMessage(data);
      if (message?.type !== 'use-backend') return;
      started = true;
      resolve(message.preference);
    });
  });
}

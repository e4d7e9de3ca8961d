// The engine's backend over its session: the first choice, the switches the "Compute on" setting asks for later, the
// calibrations measured meanwhile (so switching back to Automatic measures nothing again, even before the UI has
// stored them), and the GPU fallback, made the first time the engine is on WebGL.
import * as tf from '@tensorflow/tfjs';
import type { BackendCalibration, BackendPreference } from '../../plugin/messages';
import { prepareBackend, type BackendChoice, type BackendReport } from './backend';
import { rememberCalibration } from './backend-memory';
import { WebglFallback, type GpuFallback } from './gpu-fallback';
import { useWasmBackend } from './wasm-backend';
import { yieldOnReads } from './yield-on-read';
import type { BackendNetworks } from './backend-networks';

export class BackendSession {
  private measured: BackendCalibration[] = [];
  private fallback: WebglFallback | undefined;
  /** The last choice made: where the engine computes now (unless a GPU fault moved it to WASM since). */
  report: BackendReport | undefined;

  constructor(private readonly networks: BackendNetworks) {}

  /** Chooses and moves TF.js there. `canDecline`: only at the start of an engine in a worker (backend.ts). */
  async prepare(preference: BackendPreference, canDecline: boolean): Promise<BackendChoice> {
    const choice = await prepareBackend({ ...preference, known: [...this.measured, ...preference.known] }, { canDecline, useWasm: useWasmBackend });
    if (!choice.ok) return choice;
    this.report = choice.report;
    const { backend, renderer, reason, calibration } = choice.report;
    if (reason === 'measured' && renderer !== undefined && calibration && (backend === 'webgl' || backend === 'wasm')) {
      this.measured = rememberCalibration(this.measured, { renderer, backend, ...calibration });
    }
    // TF.js's JS CPU backend (the last resort) has the same instant reads as WASM (useWasmBackend does this for WASM).
    if (backend === 'cpu') yieldOnReads('cpu');
    // One fallback per engine: it watches the one WebGL context TF.js has.
    if (backend === 'webgl' && !this.fallback) {
      this.fallback = new WebglFallback({ use: useWasmBackend, releaseNetworks: (name) => this.networks.release(name) });
    }
    return choice;
  }

  /** The GPU fallback once the engine has been on WebGL (it passes jobs through while TF.js is elsewhere). */
  get gpu(): GpuFallback | undefined {
    return this.fallback;
  }

  /** Frees the networks of a backend the engine left: their weights are dead weight there (GPU textures, or WASM
   *  heap) until it comes back, when they load again. */
  async releaseOthers(): Promise<void> {
    for (const name of ['webgl', 'wasm', 'cpu']) if (name !== tf.getBackend()) await this.networks.release(name);
  }
}

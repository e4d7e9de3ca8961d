// The engine's backend over its session: the first choice, the switches the "Compute on" setting asks for later, the
// calibrations measured meanwhile (so switching back to Automatic measures nothing again, even before the UI has
// stored them), and the GPU fallback, made the first time the engine is on each GPU backend (WebGPU, WebGL).
import * as tf from '@tensorflow/tfjs';
import type { BackendCalibration, BackendPreference } from '../../plugin/messages';
import { prepareBackend, type BackendChoice, type BackendReport } from './backend';
import { rememberCalibration } from './backend-memory';
import { GpuJobFallback, type GpuFallback } from './gpu-fallback';
import { watchCurrentGpu } from './gpu-watch';
import { useWasmBackend } from './wasm-backend';
import { yieldOnReads } from './yield-on-read';
import type { BackendNetworks } from './backend-networks';

export class BackendSession {
  private measured: BackendCalibration[] = [];
  /** One per GPU backend the engine has been on: each watches that backend's one device or context. */
  private readonly fallbacks = new Map<string, GpuJobFallback>();
  /** The last choice made: where the engine computes now (unless a GPU fault moved it to WASM since). */
  report: BackendReport | undefined;

  constructor(private readonly networks: BackendNetworks) {}

  /** Chooses and moves TF.js there. `canDecline`: only at the start of an engine in a worker (backend.ts). */
  async prepare(preference: BackendPreference, canDecline: boolean): Promise<BackendChoice> {
    const choice = await prepareBackend({ ...preference, known: [...this.measured, ...preference.known] }, { canDecline, useWasm: useWasmBackend });
    if (!choice.ok) return choice;
    this.report = choice.report;
    const { backend, renderer, reason, calibration } = choice.report;
    if (reason === 'measured' && renderer !== undefined && calibration && (backend === 'webgpu' || backend === 'webgl' || backend === 'wasm')) {
      this.measured = rememberCalibration(this.measured, { renderer, backend, ...calibration });
    }
    // TF.js's JS CPU backend (the last resort) has the same instant reads as WASM (useWasmBackend does this for WASM).
    if (backend === 'cpu') yieldOnReads('cpu');
    const watch = this.fallbacks.has(backend) ? null : watchCurrentGpu();
    if (watch) this.fallbacks.set(backend, new GpuJobFallback(watch, { use: useWasmBackend, releaseNetworks: (name) => this.networks.release(name) }));
    return choice;
  }

  /** The GPU fallback of the GPU backend TF.js computes on now; after a GPU fault moved a job to WASM, that backend's
   *  still (it passes jobs through while TF.js is elsewhere). */
  get gpu(): GpuFallback | undefined {
    return this.fallbacks.get(tf.getBackend()) ?? this.fallbacks.get(this.report?.backend ?? '');
  }

  /** Frees the networks of a backend the engine left: their weights are dead weight there (GPU textures, or WASM
   *  heap) until it comes back, when they load again. */
  async releaseOthers(): Promise<void> {
    for (const name of ['webgpu', 'webgl', 'wasm', 'cpu']) if (name !== tf.getBackend()) await this.networks.release(name);
  }
}

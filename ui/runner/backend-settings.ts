// What the engine's backend takes from the user's settings (the "Compute on" setting, the calibrations remembered)
// and what it gives back to them (a new calibration, remembered by the GPU's name). Pure: the panel calls these, the unit
// tests check them.
import type { BackendPreference, ComputePreference, Settings } from '../../plugin/messages';
import type { BackendReport } from '../engine/backend';
import { rememberCalibration } from '../engine/backend-memory';

export function backendPreference(settings: Settings): BackendPreference {
  return { compute: settings.compute ?? 'auto', known: settings.calibrations ?? [] };
}

/** The settings with the calibration the engine just made remembered, or null when it made none (it used a
 *  remembered one, or the setting forced a backend). */
export function rememberReport(settings: Settings, report: BackendReport): Settings | null {
  const { reason, renderer, calibration, backend } = report;
  if (reason !== 'measured' || renderer === undefined || !calibration || (backend !== 'webgpu' && backend !== 'webgl' && backend !== 'wasm')) return null;
  return { ...settings, calibrations: rememberCalibration(settings.calibrations ?? [], { renderer, backend, ...calibration }) };
}

/** "Running on GPU" / "Running on CPU": what the user can act on. */
export function computeLabel(backend: string): string {
  return `Running on ${/webgl|webgpu/.test(backend) ? 'GPU' : 'CPU'}`;
}

/** The engine's details for the status line's tooltip, tests and support: which backend (so "GPU" says whether it is
 *  WebGPU or WebGL), where, why, the figures and the GPU's name: "wasm in worker · measured: WebGPU over 500 ms, WASM
 *  12 ms · WebGPU google swiftshader (fallback adapter)". */
export function backendDetails(where: string, report: BackendReport): string {
  const { calibration, reason, renderer } = report;
  const why = REASONS[reason];
  const figures = calibration ? `: ${GPU_LABEL[calibration.gpu]} ${calibration.gpuFinished ? '' : 'over '}${calibration.gpuMs} ms, WASM ${calibration.wasmMs} ms` : '';
  return `${report.backend} in ${where} · ${why}${figures}${renderer !== undefined ? ` · ${renderer}` : ''}`;
}

const GPU_LABEL: Record<NonNullable<BackendReport['calibration']>['gpu'], string> = { webgpu: 'WebGPU', webgl: 'WebGL' };

const REASONS: Record<BackendReport['reason'], string> = {
  measured: 'measured',
  remembered: 'as measured before',
  setting: 'by the setting',
  'no-gpu': 'no GPU here',
  'no-wasm': 'no WASM here',
  only: 'the only backend',
  'gpu-lost': 'the GPU stopped (reopen the plugin to use it again)',
};

export const COMPUTE_OPTIONS: ReadonlyArray<{ value: ComputePreference; children: string }> = [
  { value: 'auto', children: 'Automatic' },
  { value: 'gpu', children: 'GPU' },
  { value: 'cpu', children: 'CPU' },
];

// The engine's first job pays once-per-session costs that later jobs do not: decoding the networks' weights and the
// style preset, the browser's PNG codec starting, V8 compiling the pixel loops, XNNPACK sizing its buffers for the
// largest input it has seen (on a GPU: compiling every shader). Measured here on WASM, the first fast style job spent
// about 2x the engine time of the same job again. So once the backend is chosen, the engine runs the default job
// (fast style, the default preset) as a job runs, PNG in and PNG out, on a 512 px image nobody sees: 512 px is the
// largest the transformer ever runs at (larger images are painted in 512 px tiles), so no later style job meets a
// new buffer size, and every job finds the weights, the preset, the codec and the code ready. It runs in the
// engine's queue and stops as soon as a real job arrives (engine-messages.ts).
import { defaultParams } from '../../techniques/registry';
import { runTechnique } from '../../techniques/run-technique';
import { createRgbaImage, type RgbaImage } from '../../techniques/image';
import { DEFAULT_TILING } from '../../techniques/style/tiling';
import type { AssetLoader } from '../../techniques/job';
import type { Networks } from '../../models/registry';
import { throwIfAborted } from '../../techniques/errors';
import type { BackendReport } from './backend';
import type { ImageCodec } from './engine-messages';
import { isSoftwareRenderer } from './backend-choice';

/** Where warming pays: WASM, and WebGPU or WebGL on a real GPU. Not on a software GPU (its shader compiles would hold
 *  the engine for tens of seconds) nor on TF.js's plain JS backend (seconds of work for a fallback nobody chose). */
export function worthWarming(report: Pick<BackendReport, 'backend' | 'renderer'>): boolean {
  return report.backend === 'wasm' || ((report.backend === 'webgl' || report.backend === 'webgpu') && !isSoftwareRenderer(report.renderer));
}

export interface WarmUpContext {
  networks: Networks;
  assets: AssetLoader;
  codec: ImageCodec;
  signal: AbortSignal;
}

/** Runs the default style job once, its result dropped. Ends early (PasticheError 'cancelled') when `signal` fires. */
export async function warmUp({ codec, signal, ...context }: WarmUpContext): Promise<void> {
  const side = DEFAULT_TILING.tileSize;
  const whole = { x: 0, y: 0, width: side, height: side };
  const source = await codec.decode(await codec.encode(gradient(side), whole));
  throwIfAborted(signal);
  const result = await runTechnique('style', { source }, defaultParams('style'), { ...context, signal, onProgress: () => {} });
  throwIfAborted(signal);
  await codec.encode(result, whole);
}

/** A smooth colour gradient: an image with some structure (a flat one could take shortcuts nobody else takes). */
function gradient(side: number): RgbaImage {
  const image = createRgbaImage(side, side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 4;
      image.data[i] = (255 * x) / side;
      image.data[i + 1] = (255 * y) / side;
      image.data[i + 2] = 128 + 127 * Math.sin((x + y) / 16);
      image.data[i + 3] = 255;
    }
  }
  return image;
}

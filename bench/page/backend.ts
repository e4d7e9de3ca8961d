// Puts TF.js on the backend a run asks for and points the engine's registry at the bundled weights.
// The WASM backend fetches its .wasm files from the folder the bench server maps node_modules onto; WebGPU is started
// as the engine starts it (ui/engine/webgpu-backend.ts: an adapter first, so a page without one says so in one line).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Networks } from '../../models/registry';
import { bundledNetworks } from '../../ui/engine/resources';
import { useWebgpuBackend, webgpuAdapterName } from '../../ui/engine/webgpu-backend';
import type { Backend, PageInfo } from './protocol';

export const TFJS_WASM_DIR = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

export async function useBackend(backend: Backend): Promise<PageInfo> {
  // One thread: the measured machine has 2 cores and threads gave no gain (TOOLCHAIN.md).
  if (backend === 'wasm') setWasmPaths(TFJS_WASM_DIR);
  const ready = backend === 'webgpu' ? await useWebgpuBackend() : await tf.setBackend(backend);
  if (!ready) throw new Error(`TF.js backend ${backend} is not available here`);
  await tf.ready();
  return { backend: tf.getBackend(), renderer: await rendererOf(backend) };
}

async function rendererOf(backend: Backend): Promise<string | undefined> {
  if (backend === 'webgl') return webglRenderer();
  if (backend === 'webgpu') return webgpuAdapterName();
  return undefined;
}

let networks: Networks = bundledNetworks();

/** The page's networks, over the bundled weights, as the engine has them. */
export function pageNetworks(): Networks {
  return networks;
}

/** Fresh networks, so that every network is decoded and uploaded again (load timings start cold). */
export async function useBundledWeights(): Promise<void> {
  await networks.disposeAll();
  networks = bundledNetworks();
}

function webglRenderer(): string | undefined {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl: WebGL2RenderingContext } }).gpgpu?.gl;
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

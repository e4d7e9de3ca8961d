// The CLI computes on TF.js's WASM backend (fast on CPUs, no native install) or, on request, the JS CPU backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { PasticheError } from '../techniques/errors';

export type CliBackend = 'wasm' | 'cpu';

export async function useBackend(name: string): Promise<CliBackend> {
  if (name !== 'wasm' && name !== 'cpu') throw new PasticheError('bad-params', `Unknown backend "${name}": use wasm or cpu.`);
  if (!(await tf.setBackend(name))) throw new PasticheError('backend', `The ${name} backend could not start.`);
  await tf.ready();
  return name;
}

// The bench/parity page's script: everything the Node side calls, on window.pastiche_bench.
import * as tf from '@tensorflow/tfjs';
import { runCase } from './cases';
import { yardstickMs } from './yardstick';
import { useBackend, useBundledWeights } from './backend';
import { magentaParity, mobileNetParity } from './parity';
import { describeInputs } from './reference';
import { backendParity } from './backend-parity';
import type { Backend } from './protocol';

const api = {
  async init(backend: Backend) {
    const info = await useBackend(backend);
    await useBundledWeights();
    return info;
  },
  backend: () => tf.getBackend(),
  memory: () => tf.memory(),
  runCase,
  yardstickMs,
  mobileNetParity,
  magentaParity,
  describeInputs,
  backendParity,
};

export type BenchPageApi = typeof api;
(window as unknown as { pastiche_bench: BenchPageApi }).pastiche_bench = api;
document.body.dataset.ready = 'true';

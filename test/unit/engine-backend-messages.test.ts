// The engine's message handling of backend switches and of the warm-up (ui/engine/engine-messages.ts), in Node on
// TF.js's CPU backend with a fake channel: a switch is answered between jobs; the warm-up runs ahead of the first
// job only and stops as soon as a job arrives; a switch to another backend warms that one, a switch to the same does not.
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { handleEngineMessages, type EngineServices } from '../../ui/engine/engine-messages';
import type { EngineToUi, UiToEngine } from '../../ui/engine/protocol';
import type { BackendReport } from '../../ui/engine/backend';
import type { Networks } from '../../models/registry';
import { PasticheError } from '../../techniques/errors';

class FakeChannel {
  readonly out: EngineToUi[] = [];
  private listener: ((event: MessageEvent<UiToEngine>) => void) | null = null;
  postMessage(message: EngineToUi): void {
    this.out.push(message);
  }
  addEventListener(_type: 'message', listener: (event: MessageEvent<UiToEngine>) => void): void {
    this.listener = listener;
  }
  deliver(data: UiToEngine): void {
    this.listener!({ data } as MessageEvent<UiToEngine>);
  }
  /** Resolves once a message of `type` (for `id`) was posted. */
  async answer(type: EngineToUi['type'], id?: string): Promise<EngineToUi> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = this.out.find((m) => m.type === type && (id === undefined || ('id' in m && m.id === id)));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} ${id ?? ''} in ${JSON.stringify(this.out.map((m) => m.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

const noNetworks: Networks = {
  get: () => Promise.reject(new PasticheError('model-unavailable', 'No networks here.')),
  dispose: async () => {},
  disposeAll: async () => {},
  loaded: () => [],
};

function png(side: number): Uint8Array {
  const image = new PNG({ width: side, height: side });
  image.data.fill(200);
  return new Uint8Array(PNG.sync.write(image));
}

function services(extra: Partial<EngineServices> = {}): EngineServices {
  return {
    networks: () => noNetworks,
    assets: { image: () => Promise.reject(new PasticheError('bad-input', 'No assets here.')) },
    codec: {
      async decode(bytes) {
        const decoded = PNG.sync.read(Buffer.from(bytes));
        return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data) };
      },
      encode: async () => png(1),
    },
    fitConvolutionsTo: () => {},
    ...extra,
  };
}

const invert = (id: string): UiToEngine => ({ type: 'run', job: { id, job: { technique: 'invert', params: { amount: 1 } }, sourcePng: png(8), width: 8, height: 8 } });
const preference = { compute: 'gpu' as const, known: [] };

/** A warm-up that lasts until it is stopped (or `finish` is called), noting what happened to it. */
function recordingWarmUp() {
  const calls: Array<{ stopped: boolean }> = [];
  let finish = () => {};
  const warmUp = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const call = { stopped: false };
      calls.push(call);
      finish = resolve;
      signal.addEventListener('abort', () => {
        call.stopped = true;
        reject(new PasticheError('cancelled', 'Stopped.'));
      });
    });
  return { calls, warmUp, finish: () => finish() };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

test('the warm-up runs once at the start and stops when a job arrives; the job then runs', async () => {
  const channel = new FakeChannel();
  const warm = recordingWarmUp();
  handleEngineMessages(channel as never, services({ warmUp: warm.warmUp }));
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(warm.calls).toEqual([{ stopped: false }]);
  channel.deliver(invert('a'));
  await channel.answer('result', 'a');
  expect(warm.calls).toEqual([{ stopped: true }]);
});

test('no warm-up when a job is already waiting for it', async () => {
  const channel = new FakeChannel();
  const warm = recordingWarmUp();
  handleEngineMessages(channel as never, services({ warmUp: warm.warmUp }));
  channel.deliver(invert('b')); // before the queue got a turn
  await channel.answer('result', 'b');
  expect(warm.calls).toEqual([]);
});

test('a switch is answered after the jobs sent before it; a new backend is warmed, the same one is not', async () => {
  const channel = new FakeChannel();
  const warm = recordingWarmUp();
  const reports: BackendReport[] = [{ backend: 'wasm', reason: 'setting' }, { backend: 'cpu', reason: 'setting' }];
  const useBackend = jest.fn(async () => reports.shift()!);
  handleEngineMessages(channel as never, services({ warmUp: warm.warmUp, useBackend }));
  await new Promise((resolve) => setTimeout(resolve, 5));
  warm.finish(); // the start's warm-up ends by itself

  channel.deliver(invert('c'));
  channel.deliver({ type: 'use-backend', id: 'switch-1', preference });
  await channel.answer('backend', 'switch-1');
  const order = channel.out.map((m) => m.type).filter((type) => type === 'result' || type === 'backend');
  expect(order).toEqual(['result', 'backend']);
  expect(useBackend).toHaveBeenCalledWith(preference);
  expect(channel.out.find((m) => m.type === 'backend')).toEqual({ type: 'backend', id: 'switch-1', backend: 'wasm', reason: 'setting' });
  // 'wasm' is not where TF.js was ('cpu'): warmed.
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(warm.calls).toHaveLength(2);
  warm.finish();

  channel.deliver({ type: 'use-backend', id: 'switch-2', preference });
  await channel.answer('backend', 'switch-2');
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(warm.calls).toHaveLength(2); // 'cpu' is where TF.js is: nothing to warm
});

test('a host with one backend answers a switch with it', async () => {
  const channel = new FakeChannel();
  handleEngineMessages(channel as never, services());
  channel.deliver({ type: 'use-backend', id: 'switch', preference });
  expect(await channel.answer('backend', 'switch')).toEqual({ type: 'backend', id: 'switch', backend: 'cpu', reason: 'only' });
});

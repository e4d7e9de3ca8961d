// On TF.js's CPU backends a job's awaits never give the event loop a turn: WASM's and the JS CPU backend's read()
// resolve at once, in a microtask, so a Cancel (a message) would wait for the whole job to end, and the host's
// heartbeat would go unanswered. Here every awaited read of such a backend first waits for one macrotask (a
// MessageChannel round trip, a fraction of a millisecond, not setTimeout's 4 ms clamp): messages get in at the same
// checkpoints as on WebGL, where reads wait for the GPU anyway.
import * as tf from '@tensorflow/tfjs';

const MARK = '__pasticheYieldsOnRead';

interface ReadingBackend {
  read(dataId: object): Promise<unknown>;
  [MARK]?: boolean;
}

/** One macrotask: whatever messages arrived meanwhile are handled before the caller continues. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/** Makes the named backend's awaited reads yield first (idempotent; a backend not registered is left alone). */
export function yieldOnReads(backendName: string): void {
  const backend = tf.findBackend(backendName) as unknown as ReadingBackend | null;
  if (!backend || backend[MARK]) return;
  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    await nextMacrotask();
    return read(dataId);
  };
  backend[MARK] = true;
}

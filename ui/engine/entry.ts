// The engine bundle's entry. The same code runs as a Web Worker (normal case) or, when the worker cannot
// get WebGL, inside the iframe, where it waits to be handed one end of a MessageChannel.
import { startEngine } from './engine';
import type { Channel, EngineToUi, UiToEngine } from './protocol';

type EngineChannel = Channel<UiToEngine, EngineToUi>;

declare const WorkerGlobalScope: { new (): unknown } | undefined;
const inWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope;

if (inWorker) {
  void startEngine(self as unknown as EngineChannel, 'worker');
} else {
  (globalThis as { startPasticheEngine?: (port: MessagePort) => void }).startPasticheEngine = (port) => {
    port.start();
    void startEngine(port as unknown as EngineChannel, 'iframe');
  };
}

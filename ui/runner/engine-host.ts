// Starts the engine: in a Web Worker when it gets WebGL there (the panel stays responsive), otherwise in the
// iframe itself. The engine's code is inlined in the UI's HTML (Figma plugins are one file, no network). A worker
// engine is supervised (engine-supervisor.ts): when it crashes or hangs, a new one takes its place.
import type { Channel, EngineToUi, UiToEngine } from '../engine/protocol';
import { DEFAULT_SUPERVISION, SupervisedEngine, type EngineConnection, type Supervision } from './engine-supervisor';

export type EngineChannel = Channel<EngineToUi, UiToEngine>;

export interface StartedEngine {
  channel: EngineChannel;
  where: 'worker' | 'iframe';
  backend: string;
  renderer?: string;
}

/** The engine bundle's source text, from the inert script tag the build puts into ui.html. */
export function engineSource(): string {
  const element = document.getElementById('pastiche-engine');
  if (!element?.textContent) throw new Error('The engine code is missing from this page: rebuild the UI.');
  return element.textContent;
}

export async function startEngineHost(source: string, preferWorker = true, supervision: Supervision = DEFAULT_SUPERVISION): Promise<StartedEngine> {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const start = async (): Promise<EngineConnection> => (preferWorker ? await startInWorker(url) : null) ?? (await startInIframe(url));
  const first = await start();
  return first.worker ? new SupervisedEngine(first, start, supervision) : first;
}

/** An engine in a new worker, or null when a worker cannot compute here (no Worker, no WebGL in workers). */
async function startInWorker(url: string): Promise<EngineConnection | null> {
  if (typeof Worker === 'undefined') return null;
  let worker: Worker | undefined;
  try {
    worker = new Worker(url);
    const answer = await firstAnswer(worker);
    if (answer.type === 'ready') return { channel: worker, worker, where: 'worker', backend: answer.backend, renderer: answer.renderer };
  } catch {
    // A worker that cannot start at all (e.g. blocked by policy): use the iframe.
  }
  worker?.terminate();
  return null;
}

async function startInIframe(url: string): Promise<EngineConnection> {
  const global = globalThis as { startPasticheEngine?: (port: MessagePort) => void };
  // The engine's script defines startPasticheEngine once; a restart after a worker died reuses it.
  if (!global.startPasticheEngine) await loadScript(url);
  const { port1, port2 } = new MessageChannel();
  global.startPasticheEngine!(port2);
  port1.start();
  const answer = await firstAnswer(port1);
  if (answer.type !== 'ready') throw new Error(`The engine could not start: ${answer.type === 'unavailable' ? answer.reason : answer.type}`);
  return { channel: port1, where: 'iframe', backend: answer.backend, renderer: answer.renderer };
}

function firstAnswer(channel: EngineChannel & { addEventListener(type: 'error', listener: (event: Event) => void): void }): Promise<EngineToUi> {
  return new Promise((resolve, reject) => {
    channel.addEventListener('message', function onMessage(event) {
      if (event.data.type === 'ready' || event.data.type === 'unavailable') resolve(event.data);
    });
    channel.addEventListener('error', () => reject(new Error('The engine failed to start')));
  });
}

function loadScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('The engine code could not be loaded'));
    document.head.appendChild(script);
  });
}

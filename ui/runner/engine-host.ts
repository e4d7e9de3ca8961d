// Starts the engine: in a Web Worker when it can compute there (the panel stays responsive), otherwise in the
// iframe itself. The engine's code (its source text, from the sandbox: engine-code.ts) is handed to the worker as it
// is: the window's thread neither parses it nor copies it into a Blob (24 MB: 0.3 s it could not draw). A worker
// engine is supervised (engine-supervisor.ts): when it crashes or hangs, a new one takes its place. Every engine
// started gets the backend preference of that moment (the "Compute on" setting, the calibrations remembered), so a
// replacement computes where its predecessor did without measuring again.
import type { BackendPreference } from '../../plugin/messages';
import type { BackendReport } from '../engine/backend';
import type { Channel, EngineToUi, UiToEngine } from '../engine/protocol';
import { DEFAULT_SUPERVISION, SupervisedEngine, type EngineConnection, type Supervision } from './engine-supervisor';
import { startSecureWorker } from './secure-worker';

export type EngineChannel = Channel<EngineToUi, UiToEngine>;

export interface StartedEngine {
  channel: EngineChannel;
  where: 'worker' | 'iframe';
  /** The TF.js backend computing now (it changes when the setting switches it). */
  backend: string;
  /** Why it computes there, the renderer and the calibration behind it. */
  report: BackendReport;
}

export interface EngineHostOptions {
  /** False: start in the iframe directly. */
  preferWorker?: boolean;
  supervision?: Supervision;
  /** Read at every start (restarts included). By default automatic, with nothing measured before. */
  preference?: () => BackendPreference | Promise<BackendPreference>;
}

const AUTOMATIC: BackendPreference = { compute: 'auto', known: [] };

export async function startEngineHost(source: string, options: EngineHostOptions = {}): Promise<StartedEngine> {
  const { preferWorker = true, supervision = DEFAULT_SUPERVISION, preference = () => AUTOMATIC } = options;
  const start = async (): Promise<EngineConnection> => {
    // The worker parses the engine's code (megabytes of weights) while the preference is still being read.
    const worker = preferWorker ? startWorker(source) : null;
    const chosen = await preference();
    return (worker ? await inWorker(worker, chosen) : null) ?? (await startInIframe(source, chosen));
  };
  const first = await start();
  return first.worker ? new SupervisedEngine(first, start, supervision) : first;
}

interface StartingWorker {
  worker: Worker;
  /** Its 'ready' or 'unavailable'; rejected when the worker fails (listened to from its creation on). */
  answer: Promise<EngineToUi>;
}

/** A new worker running the engine's code, or null where workers cannot start (none, or blocked by policy). */
function startWorker(source: string): StartingWorker | null {
  if (typeof Worker === 'undefined') return null;
  try {
    const worker = startSecureWorker(source);
    const answer = firstAnswer(worker);
    answer.catch(() => {}); // looked at once the preference is known
    return { worker, answer };
  } catch {
    return null;
  }
}

/** The engine in its worker, or null when it cannot compute there (e.g. no WebGL in workers): the worker is ended. */
async function inWorker({ worker, answer }: StartingWorker, preference: BackendPreference): Promise<EngineConnection | null> {
  try {
    worker.postMessage(useBackend(preference));
    const first = await answer;
    if (first.type === 'ready') return tracked({ channel: worker, worker, where: 'worker', backend: first.backend, report: reportOf(first) });
  } catch {
    // The worker failed to start: use the iframe.
  }
  worker.terminate();
  return null;
}

async function startInIframe(source: string, preference: BackendPreference): Promise<EngineConnection> {
  const global = globalThis as { startPasticheEngine?: (port: MessagePort) => void };
  // The engine's script defines startPasticheEngine once; a restart after a worker died reuses it.
  if (!global.startPasticheEngine) {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    try {
      await loadScript(url);
    } finally {
      URL.revokeObjectURL(url); // the script has run: its 24 MB Blob can go
    }
  }
  const { port1, port2 } = new MessageChannel();
  global.startPasticheEngine!(port2);
  port1.start();
  const answer = firstAnswer(port1);
  port1.postMessage(useBackend(preference));
  const first = await answer;
  if (first.type !== 'ready') throw new Error(`The engine could not start: ${first.type === 'unavailable' ? first.reason : first.type}`);
  return tracked({ channel: port1, where: 'iframe', backend: first.backend, report: reportOf(first) });
}

let startRequests = 0;
function useBackend(preference: BackendPreference): UiToEngine {
  return { type: 'use-backend', id: `start-${++startRequests}`, preference };
}

function reportOf({ type: _type, ...message }: Extract<EngineToUi, { type: 'ready' | 'backend' }>): BackendReport {
  const { id: _id, ...report } = message as BackendReport & { id?: string };
  return report;
}

/** Keeps a connection's backend up to date when the engine switches (its 'backend' answers). */
function tracked(connection: EngineConnection): EngineConnection {
  connection.channel.addEventListener('message', ({ data }) => {
    if (data.type !== 'backend') return;
    connection.report = reportOf(data);
    connection.backend = data.backend;
  });
  return connection;
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

// The job runner: the UI's handle on the engine. One promise per job, progress through a callback,
// cancel through an AbortSignal that travels to the engine as a "cancel" message.
import type { EngineCollectionJob, EngineJob, EngineMemory, EngineToUi, UiToEngine } from '../engine/protocol';
import type { CollectionResult } from '../../techniques/collection';
import type { JobProgress } from '../../techniques/job';
import type { RgbaImage } from '../../techniques/image';
import type { BackendPreference, ResultTile } from '../../plugin/messages';
import type { BackendReport } from '../engine/backend';
import type { RunFacts } from '../../techniques/technique-spec';
import { PasticheError } from '../../techniques/errors';
import type { StartedEngine } from './engine-host';

export interface JobOutcome {
  width: number;
  height: number;
  tiles: ResultTile[];
  /** What the run did that its parameters cannot tell (steps actually run). */
  facts?: RunFacts;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Fired: an optimization stops and returns its best image so far. */
  finishEarly?: AbortSignal;
  onProgress?: (progress: Omit<JobProgress, 'preview'>, preview?: RgbaImage) => void;
}

interface Pending {
  resolve(outcome: JobOutcome | CollectionResult): void;
  reject(error: PasticheError): void;
  options: RunOptions;
}

let nextRequest = 1;

export class JobRunner {
  private readonly pending = new Map<string, Pending>();
  private readonly memoryRequests = new Map<string, { resolve(memory: EngineMemory): void; reject(error: PasticheError): void }>();
  private readonly backendRequests = new Map<string, { resolve(report: BackendReport): void; reject(error: PasticheError): void }>();
  private readonly backendListeners = new Set<(report: BackendReport) => void>();

  constructor(readonly engine: StartedEngine) {
    engine.channel.addEventListener('message', (event) => this.receive(event.data));
  }

  run(job: EngineJob, options: RunOptions = {}): Promise<JobOutcome> {
    return this.send({ type: 'run', job }, options) as Promise<JobOutcome>;
  }

  /** A technique over many layers: its ranking or arrangement. */
  runCollection(job: EngineCollectionJob, options: RunOptions = {}): Promise<CollectionResult> {
    return this.send({ type: 'run-collection', job }, options) as Promise<CollectionResult>;
  }

  /** Diagnostics (tests, support): the engine's TF.js memory, measured between jobs. */
  memory(): Promise<EngineMemory> {
    const id = `memory-${nextRequest++}`;
    return new Promise((resolve, reject) => {
      this.memoryRequests.set(id, { resolve, reject });
      this.engine.channel.postMessage({ type: 'memory', id });
    });
  }

  /** Moves the engine to the backend the preference asks for, after the jobs sent before (the "Compute on" setting). */
  useBackend(preference: BackendPreference): Promise<BackendReport> {
    const id = `backend-${nextRequest++}`;
    return new Promise((resolve, reject) => {
      this.backendRequests.set(id, { resolve, reject });
      this.engine.channel.postMessage({ type: 'use-backend', id, preference });
    });
  }

  /** Called when the engine moves to another backend by itself (the GPU lost under a job). Returns the unsubscribe. */
  onBackendChanged(listener: (report: BackendReport) => void): () => void {
    this.backendListeners.add(listener);
    return () => this.backendListeners.delete(listener);
  }

  private send(message: Extract<UiToEngine, { type: 'run' | 'run-collection' }>, options: RunOptions): Promise<JobOutcome | CollectionResult> {
    const id = message.job.id;
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new PasticheError('cancelled', 'Cancelled.'));
      this.pending.set(id, { resolve, reject, options });
      options.signal?.addEventListener('abort', () => this.engine.channel.postMessage({ type: 'cancel', id }), { once: true });
      options.finishEarly?.addEventListener('abort', () => this.engine.channel.postMessage({ type: 'finish', id }), { once: true });
      this.engine.channel.postMessage(message);
    });
  }

  private receive(message: EngineToUi): void {
    if (message.type === 'engine-lost') return this.failAll(PasticheError.fromData(message.error));
    if (message.type === 'memory') {
      const { type: _type, id, ...memory } = message;
      this.memoryRequests.get(id)?.resolve(memory);
      this.memoryRequests.delete(id);
      return;
    }
    if (message.type === 'backend' || (message.type === 'error' && this.backendRequests.has(message.id))) {
      const request = this.backendRequests.get(message.id);
      this.backendRequests.delete(message.id);
      if (message.type === 'error') return request?.reject(PasticheError.fromData(message.error));
      const { type: _type, id: _id, ...report } = message;
      if (request) return request.resolve(report);
      for (const listener of this.backendListeners) listener(report);
      return;
    }
    if (!('id' in message)) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'progress':
        pending.options.onProgress?.(message.progress, message.preview);
        return;
      case 'result':
        this.pending.delete(message.id);
        pending.resolve({ width: message.width, height: message.height, tiles: message.tiles, ...(message.facts ? { facts: message.facts } : {}) });
        return;
      case 'collection-result':
        this.pending.delete(message.id);
        pending.resolve(message.result);
        return;
      case 'error':
        this.pending.delete(message.id);
        pending.reject(PasticheError.fromData(message.error));
        return;
    }
  }

  /** The engine died: every job it had is lost (a new engine takes the next ones). */
  private failAll(error: PasticheError): void {
    const lost = [...this.pending.values(), ...this.memoryRequests.values(), ...this.backendRequests.values()];
    this.pending.clear();
    this.memoryRequests.clear();
    this.backendRequests.clear();
    for (const pending of lost) pending.reject(error);
  }
}

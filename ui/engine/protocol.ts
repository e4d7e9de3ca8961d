// Messages between the UI (job runner) and the engine that runs TF.js, wherever the engine lives:
// a Web Worker (the normal case) or the iframe itself (fallback when a worker cannot get WebGL).
// What the engine receives is checked against a schema at run time; what it sends back, the runner trusts
// (the runner made the engine from its own bundle).
import * as v from 'valibot';
import type { PasticheErrorData } from '../../techniques/errors';
import { backendPreference, type JobRequest, type ResultTile } from '../../plugin/messages';
import type { JobProgress } from '../../techniques/job';
import type { RgbaImage } from '../../techniques/image';
import type { RunFacts } from '../../techniques/technique-spec';
import { MAX_COLLECTION_ITEMS, type CollectionResult } from '../../techniques/collection';
import { TECHNIQUE_SPECS, type TechniqueId } from '../../techniques/registry';
import type { BackendReport } from './backend';

const bytes = v.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');
const id = v.pipe(v.string(), v.maxLength(200));
const side = v.pipe(v.number(), v.finite(), v.integer(), v.minValue(1), v.maxValue(1 << 16));

const engineJob = v.object({
  id,
  job: v.object({
    technique: v.picklist(TECHNIQUE_SPECS.map((spec) => spec.id) as unknown as [TechniqueId, ...TechniqueId[]]),
    params: v.unknown(),
    referenceId: v.optional(id),
  }),
  /** PNG bytes of the main source and of the optional reference (e.g. a style layer). */
  sourcePng: bytes,
  referencePng: v.optional(bytes),
  /** Pixel size wanted for the result (the source's export size). */
  width: side,
  height: side,
});
export type EngineJob = v.InferOutput<typeof engineJob> & { job: JobRequest };

/** A technique over many layers: PNG bytes of the query (if any) and of every layer, by layer id. */
const layerPng = v.object({ id, png: bytes });
const engineCollectionJob = v.object({
  id,
  job: engineJob.entries.job,
  query: v.optional(layerPng),
  items: v.pipe(v.array(layerPng), v.maxLength(MAX_COLLECTION_ITEMS)),
});
export type EngineCollectionJob = v.InferOutput<typeof engineCollectionJob> & { job: JobRequest };

const uiToEngine = v.variant('type', [
  v.object({ type: v.literal('run'), job: engineJob }),
  v.object({ type: v.literal('run-collection'), job: engineCollectionJob }),
  v.object({ type: v.literal('cancel'), id }),
  /** Stop an optimization now and keep its best image so far as the result. */
  v.object({ type: v.literal('finish'), id }),
  /** Diagnostics (tests, support): the engine answers with its TF.js memory. */
  v.object({ type: v.literal('memory'), id }),
  /** The host's heartbeat: the engine answers at once, so a silent engine is a hung or dead one. */
  v.object({ type: v.literal('ping') }),
  /** Which backend to compute on (the "Compute on" setting and the calibrations remembered). The engine waits for
   *  the first one before it chooses, and answers it with 'ready'; later ones switch between jobs and are answered
   *  with 'backend'. */
  v.object({ type: v.literal('use-backend'), id, preference: backendPreference }),
]);
export type UiToEngine = v.InferOutput<typeof uiToEngine>;

/** A message for the engine, or null when it is not one. */
export function parseEngineMessage(value: unknown): UiToEngine | null {
  const result = v.safeParse(uiToEngine, value);
  return result.success ? result.output : null;
}

export type EngineToUi =
  | ({ type: 'ready' } & BackendReport)
  | ({ type: 'backend'; id: string } & BackendReport)
  | { type: 'unavailable'; reason: string }
  | { type: 'progress'; id: string; progress: Omit<JobProgress, 'preview'>; preview?: RgbaImage }
  | { type: 'result'; id: string; width: number; height: number; tiles: ResultTile[]; facts?: RunFacts }
  | { type: 'collection-result'; id: string; result: CollectionResult }
  | { type: 'error'; id: string; error: PasticheErrorData }
  | ({ type: 'memory'; id: string } & EngineMemory)
  | { type: 'pong' }
  /** Made by the host, never by the engine: the engine died (crashed or hung) and is being replaced. Every job it
   *  was running is lost and fails with `error`. */
  | { type: 'engine-lost'; error: PasticheErrorData };

/** What the engine holds: TF.js's counts over every backend, and its JS heap where the browser tells. */
export interface EngineMemory {
  numTensors: number;
  numBytes: number;
  backend: string;
  /** performance.memory.usedJSHeapSize: Chromium gives it to windows only, so an engine in a worker has none. */
  jsHeapBytes?: number;
}

/** The side of a channel the engine or the runner holds: a worker scope, a Worker or a MessagePort. */
export interface Channel<In, Out> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<In>) => void): void;
}

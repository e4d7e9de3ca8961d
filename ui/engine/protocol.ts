// Messages between the UI (job runner) and the engine that runs TF.js, wherever the engine lives:
// a Web Worker (the normal case) or the iframe itself (fallback when a worker cannot get WebGL).
import type { PasticheErrorData } from '../../techniques/errors';
import type { JobRequest, ResultTile } from '../../plugin/messages';
import type { JobProgress } from '../../techniques/job';
import type { RgbaImage } from '../../techniques/image';

export interface EngineJob {
  id: string;
  job: JobRequest;
  /** PNG bytes of the main source and of the optional reference (e.g. a style layer). */
  sourcePng: Uint8Array;
  referencePng?: Uint8Array;
  /** Pixel size wanted for the result (the source's export size). */
  width: number;
  height: number;
}

export type UiToEngine =
  | { type: 'run'; job: EngineJob }
  | { type: 'cancel'; id: string }
  /** Stop an optimization now and keep its best image so far as the result. */
  | { type: 'finish'; id: string };

export type EngineToUi =
  | { type: 'ready'; backend: string; renderer?: string }
  | { type: 'unavailable'; reason: string }
  | { type: 'progress'; id: string; progress: Omit<JobProgress, 'preview'>; preview?: RgbaImage }
  | { type: 'result'; id: string; width: number; height: number; tiles: ResultTile[] }
  | { type: 'error'; id: string; error: PasticheErrorData };

/** The side of a channel the engine or the runner holds: a worker scope, a Worker or a MessagePort. */
export interface Channel<In, Out> {
  postMessage(message: Out, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<In>) => void): void;
}

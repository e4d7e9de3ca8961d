// What every technique receives and returns. A technique is a plain async function over pixels:
// it never touches the DOM, Figma or the file system, so the UI's engine and the CLI both run it.
import type { Networks } from '../models/registry';
import { PasticheError } from './errors';
import type { CollectionImages, CollectionResult } from './collection';
import type { RgbaImage } from './image';
import type { AssetKind, RunFacts } from './technique-spec';

export interface JobProgress {
  /** 0..1 of the whole job. */
  fraction: number;
  /** A short phrase for the progress bar, e.g. "step 40 of 200". */
  message?: string;
  /** An intermediate image where the technique has one (optimization paths). */
  preview?: RgbaImage;
}

export interface JobContext {
  /** Fired when the user cancels: techniques check it between steps (throwIfAborted). */
  signal: AbortSignal;
  onProgress(progress: JobProgress): void;
  /**
   * Fired when the user stops an optimization early and asks to keep what it has: the technique then
   * returns its best image so far instead of throwing. Techniques without such a notion ignore it.
   */
  finishEarly?: AbortSignal;
  /** The pretrained networks of this host (loaded once, shared by every job). */
  networks: Networks;
  /** Bundled images (style presets, texture samples). */
  assets: AssetLoader;
  /**
   * Fraction of their usual side that tiled techniques use for their tiles (and network passes) on this try: 1 (or
   * absent) normally, less when the job is retried after the GPU ran out of memory (tileSideFor in memory.ts).
   */
  tileScale?: number;
}

/** Loads bundled images: the engine from the UI bundle, the CLI and tests from the verified cache. */
export interface AssetLoader {
  image(kind: AssetKind, id: string): Promise<RgbaImage>;
}

/** The images a job works on: the main source and, for techniques that take one, a second image (a style). */
export interface JobImages {
  source: RgbaImage;
  /** The other selected layer, e.g. the style image. */
  reference?: RgbaImage;
}

/** A technique's result: the image, and what the run did that its parameters cannot tell (steps actually run). */
export type TechniqueResult = RgbaImage & { facts?: RunOutcome };

/** The facts a run itself reports (the reference's name is the sandbox's to add). */
export type RunOutcome = Pick<RunFacts, 'stepsRun' | 'detail' | 'cells'>;

export type Technique<Params> = (images: JobImages, params: Params, context: JobContext) => Promise<TechniqueResult>;

/** A technique over many layers (techniques/collection.ts): a ranking or an arrangement of them, not pixels. */
export type CollectionTechnique<Params> = (images: CollectionImages, params: Params, context: JobContext) => Promise<CollectionResult>;

/** `image` with the facts of its run attached. */
export function withFacts(image: RgbaImage, facts: RunOutcome): TechniqueResult {
  return Object.assign(image, { facts });
}

/** Networks for jobs that need none (tests of simple techniques): asking for one is a clear error. */
export const NO_NETWORKS: Networks = {
  get: (name) => Promise.reject(new PasticheError('model-unavailable', `No networks are loaded here (asked for ${name}).`)),
  dispose: async () => undefined,
  disposeAll: async () => undefined,
  loaded: () => [],
};

/** Assets for hosts that bundle none: asking for one is a clear error. */
export const NO_ASSETS: AssetLoader = {
  image: (kind, id) => Promise.reject(new PasticheError('bad-input', `The bundled image "${id}" (${kind}) is not available here.`)),
};

/** A context for callers that need neither progress nor cancellation (tests, scripts). */
export function silentContext(parts: Partial<JobContext> = {}): JobContext {
  return { signal: new AbortController().signal, networks: NO_NETWORKS, assets: NO_ASSETS, onProgress: () => undefined, ...parts };
}

// What every technique receives and returns. A technique is a plain async function over pixels:
// it never touches the DOM, Figma or the file system, so the UI's engine and the CLI both run it.
import type { RgbaImage } from './image';

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
  /** Bundled images (style presets, textures), by preset id. Absent where a job needs none. */
  assets?: AssetLoader;
}

/** Loads bundled images: the engine from the UI bundle, the CLI from the verified cache. */
export interface AssetLoader {
  stylePreset(id: string): Promise<RgbaImage>;
}

/** The images a job works on: the main source and, for techniques that take one, a second image (a style). */
export interface JobImages {
  source: RgbaImage;
  /** The other selected layer, e.g. the style image. */
  reference?: RgbaImage;
}

export type Technique<Params> = (images: JobImages, params: Params, context: JobContext) => Promise<RgbaImage>;

/** A context for callers that need neither progress nor cancellation (tests, scripts). */
export function silentContext(signal: AbortSignal = new AbortController().signal, assets?: AssetLoader): JobContext {
  return { signal, onProgress: () => undefined, assets };
}

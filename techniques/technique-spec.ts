// What a technique declares about itself, in its own folder (techniques/<id>/spec.ts): everything the sandbox, the
// panels, the CLI and the bench need to know, as data. No TF.js here (the sandbox imports every spec); the work
// itself is in techniques/<id>/run.ts, which only the engine, the CLI and tests load.
import type * as v from 'valibot';
import type { ParamsSchema } from './params';
import type { RgbaImage } from './image';

/** The tab of the panel a technique lives in. A technique with a new group gets a new tab. */
export type PanelGroup = 'style' | 'texture' | 'dream' | 'explore' | 'basics' | (string & {});

/** A second image the job reads without working on it: a style, a texture sample, ... */
export interface ReferenceInput<P = never> {
  /** What the reference is for, in the designer's words ("style", "sample"): used in messages and role labels. */
  role: string;
  /** Longest side it is exported at. */
  maxSide: number;
  /** The parameters ask for it (e.g. style source "layer"). Without this, the reference is never sent. */
  wanted(params: P): boolean;
}

/** Benchmark rows: sizes and named parameter variants (`npm run bench` makes one row per variant and size). */
export interface BenchPlan {
  sizes: readonly number[];
  /**
   * Named parameter sets (default: one row named after the technique with its default parameters). `perStep`:
   * an optimisation, measured once with its time per step (from its "step N" progress), not run again warm.
   */
  variants?: readonly { name: string; params: Record<string, unknown>; sizes?: readonly number[]; perStep?: boolean }[];
}

/** How the CLI takes this technique's inputs, where its flags (derived from the schema) are not enough. */
export interface CliPlan<P> {
  /** e.g. "CONTENT --style STYLE_OR_PRESET -o OUT.png" (default "IMAGE -o OUT.png"). */
  usage?: string;
  /** Options the schema cannot give (e.g. --style NAME@WEIGHT), as extra parseArgs options. */
  options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; description: string; valueName?: string; /** Prints information
   *  (run.ts `inspect`) instead of running: no image or -o needed. */ inspects?: boolean }>;
  /**
   * Turns the extra options into parameters and a reference image. `readImage` reads a file; `presets` lists the
   * bundled images of a kind (so a name can be a preset or a file).
   */
  adapt?(
    values: Record<string, unknown>,
    io: { readImage(file: string): Promise<RgbaImage>; presets(kind: AssetKind): readonly string[] },
  ): CliAdapted<P> | Promise<CliAdapted<P>>;
}

/** What a CliPlan's `adapt` gives: parameters and a reference image. */
export interface CliAdapted<P> {
  params?: Partial<P>;
  reference?: RgbaImage;
}

/**
 * How the sandbox draws a result: as an image layer beside (or on top of) the source, the default; or as a new layer
 * directly above the source that takes the source's shape (rectangle, ellipse, polygon, star, vector, boolean,
 * frame; the bounding box for text and groups) filled with the result as an IMAGE paint: stretched over it
 * ('FILL'), or repeated ('TILE', the result being a seamless tile of `pixelsPerUnit` result pixels per document unit).
 */
export type ResultLayout =
  | { kind: 'image' }
  | { kind: 'fill-source'; scaleMode: 'FILL' }
  | { kind: 'fill-source'; scaleMode: 'TILE'; pixelsPerUnit: number }
  /**
   * A row of equal cells side by side (no gaps), one per label of the run's `cells` fact: drawn as a frame beside the
   * source (an auto-layout row) holding each cell as its own image with its label under it (e.g. a layer sweep).
   */
  | { kind: 'labelled-row'; /** Wrap after this many cells (a grid); default: one row. */ columns?: number };

/** What a run did that its parameters cannot tell, for the result's name. */
export interface RunFacts {
  /** Optimisation steps actually run (fewer than asked after "stop and keep" or early stopping). */
  stepsRun?: number;
  /** The name of the layer used as the reference (e.g. the style layer). */
  referenceName?: string;
  /** What the run found, in a few words (e.g. the channel numbers of a channel sheet). */
  detail?: string;
  /** A 'labelled-row' result: the label of each cell, left to right (e.g. the layers of a sweep). */
  cells?: string[];
}

/**
 * A technique over many layers at once (techniques/collection.ts): which layers it reads, and how small. Its
 * run.ts exports `runCollection` instead of `run`; it answers with a ranking or an arrangement, not pixels.
 */
export interface CollectionPlan {
  /**
   * 'page': the one selected layer is the query, and every visible image layer of the page a candidate.
   * 'selection': the selected layers, or the layers inside the one selected frame or group.
   */
  scope: 'page' | 'selection';
  /** Shorter side each layer is exported at (what the embedding looks at needs no more). */
  side: number;
  /** Fewest layers the job makes sense with (candidates for 'page', selected layers for 'selection'). */
  minItems: number;
  /** Most layers it reads (at most MAX_COLLECTION_ITEMS): a clear error above, never a job that cannot end. */
  maxItems: number;
}

/** Bundled image sets, shipped with the plugin and the CLI (see models/manifest.json "images"). */
export type AssetKind = 'styles' | 'textures';

export interface TechniqueSpec<Id extends string = string, S extends ParamsSchema = ParamsSchema> {
  id: Id;
  /** The button and layer-name word, e.g. "Blur". */
  label: string;
  /** One line for the CLI's command list and tooltips. */
  summary: string;
  panel: PanelGroup;
  /** Place in its tab's menu (lower first; default 50, then by id). */
  menuOrder?: number;
  params: S;
  /** The longest side, in pixels, that the job accepts: the sandbox exports at a scale that respects it. */
  maxInputSide: number;
  reference?: ReferenceInput<v.InferOutput<S>>;
  /** Set for techniques over many layers (find similar, arrange): see CollectionPlan. */
  collection?: CollectionPlan;
  /**
   * The short settings summary in the result layer's name, e.g. "radius 8px" ('' = nothing to say): the settings
   * that differ from the defaults, and what the run really did (`run`: steps actually run, the reference's name).
   */
  describe(params: v.InferOutput<S>, run?: RunFacts): string;
  /** How the result is drawn (default: an image layer placed beside or on top of the source). */
  layout?(params: v.InferOutput<S>): ResultLayout;
  /** Pixels of the result when the parameters set its size (the engine sizes its GPU buffers by it). */
  resultPixels?(params: v.InferOutput<S>, width: number, height: number): number;
  cli?: CliPlan<v.InferOutput<S>>;
  bench?: BenchPlan;
}

/** Declares a technique (keeps the literal id type, checks `describe` against the schema). */
export function defineTechnique<const Id extends string, S extends ParamsSchema>(spec: TechniqueSpec<Id, S>): TechniqueSpec<Id, S> {
  return spec;
}

/** The (complete, validated) parameters of a spec. */
export type SpecParams<Spec> = Spec extends TechniqueSpec<string, infer S> ? v.InferOutput<S> : never;

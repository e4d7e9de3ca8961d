// The one table of messages between the Figma sandbox (plugin/) and the UI iframe (ui/), as valibot schemas: the
// TypeScript types are inferred from them, and each side checks what it receives against them at run time
// (parseUiMessage, parsePluginMessage), because the channel between the two is untyped. Every job message carries
// the id of the request that started it. A technique's parameters travel as data and are checked by the
// technique's own schema (techniques/registry.ts parseParams) where they are used.
import * as v from 'valibot';
import { MAX_COLLECTION_ITEMS } from '../techniques/collection';
import { TECHNIQUE_SPECS, type TechniqueId } from '../techniques/registry';

const ERROR_CODES = ['no-selection', 'bad-selection', 'bad-input', 'bad-params', 'too-large', 'cancelled', 'model-unavailable', 'backend', 'internal'] as const;
/** Most ids one `layers-removed` message carries (a larger deletion is cut: the UI only looks for its results). */
export const MAX_REMOVED_IDS = 1000;
/** Most cells of a 'labelled-row' result (a sweep has four, VGG19's filters with responses 80). */
export const MAX_ROW_CELLS = 128;
/** Longest message text that may cross: a toast is one line, not a novel. */
export const MAX_MESSAGE_TEXT = 500;

/** Bytes (PNG); any Uint8Array view, whatever buffer backs it. */
const bytes = v.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes');
const text = (max = 200) => v.pipe(v.string(), v.maxLength(max));
const jobId = text(100);
const layerId = text(100);
const count = (max: number) => v.pipe(v.number(), v.finite(), v.integer(), v.minValue(0), v.maxValue(max));
const size = (max: number) => v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(max));

const errorData = v.object({ code: v.picklist(ERROR_CODES), message: v.pipe(v.string(), v.maxLength(MAX_MESSAGE_TEXT)) });

/** Where a result layer goes: beside the source (default) or on top of it. */
const placement = v.picklist(['beside', 'on-top']);
export type Placement = v.InferOutput<typeof placement>;

const techniqueId = v.picklist(TECHNIQUE_SPECS.map((spec) => spec.id) as unknown as [TechniqueId, ...TechniqueId[]]);

/** A job as the UI asks for it: parameters are checked by the technique's schema on arrival (parseParams). */
const jobRequest = v.object({
  technique: techniqueId,
  params: v.unknown(),
  /** A layer the job reads as its second image (e.g. a style layer) instead of working on it. */
  referenceId: v.optional(layerId),
});
export type JobRequest = v.InferOutput<typeof jobRequest>;

/** What a result layer remembers of the job that made it (setPluginData), for "Apply again". */
const savedJob = v.object({ ...jobRequest.entries, sourceId: layerId });
export type SavedJob = v.InferOutput<typeof savedJob>;
export const savedJobSchema = savedJob;

/** A piece of a result, in result pixels: at most MAX_IMAGE_SIDE px a side (Figma's createImage limit), which
 *  plugin/result-tiles.ts checks with a message of its own (the schema only bounds the numbers). */
const resultTile = v.object({ x: count(1 << 16), y: count(1 << 16), width: count(1 << 16), height: count(1 << 16), png: bytes });
export type ResultTile = v.InferOutput<typeof resultTile>;

/** What a technique over many layers answers (techniques/collection.ts): layer ids with a score or a grid cell. */
const collectionResult = v.variant('kind', [
  v.object({
    kind: v.literal('ranking'),
    ranked: v.pipe(v.array(v.object({ id: layerId, score: v.pipe(v.number(), v.finite(), v.minValue(-1.001), v.maxValue(1.001)) })), v.maxLength(MAX_COLLECTION_ITEMS)),
  }),
  v.object({
    kind: v.literal('arrangement'),
    cells: v.pipe(v.array(v.object({ id: layerId, col: count(MAX_COLLECTION_ITEMS), row: count(MAX_COLLECTION_ITEMS) })), v.maxLength(MAX_COLLECTION_ITEMS)),
  }),
]);
export type CollectionResultMessage = v.InferOutput<typeof collectionResult>;

/** The window sizes the user can resize the plugin to (Figma's own panel is 240 px at its narrowest). */
export const WINDOW_LIMITS = { minWidth: 280, maxWidth: 800, minHeight: 400, maxHeight: 1200 } as const;
const windowSize = v.object({
  width: v.pipe(v.number(), v.integer(), v.minValue(WINDOW_LIMITS.minWidth), v.maxValue(WINDOW_LIMITS.maxWidth)),
  height: v.pipe(v.number(), v.integer(), v.minValue(WINDOW_LIMITS.minHeight), v.maxValue(WINDOW_LIMITS.maxHeight)),
});
export type WindowSize = v.InferOutput<typeof windowSize>;

/** Which processor the engine computes on: 'auto' measures and keeps the faster (ui/engine/backend-choice.ts),
 *  'gpu' (WebGPU where the browser has an adapter, else WebGL) and 'cpu' (WASM) force one. */
export const COMPUTE_PREFERENCES = ['auto', 'gpu', 'cpu'] as const;
const computePreference = v.picklist(COMPUTE_PREFERENCES);
export type ComputePreference = v.InferOutput<typeof computePreference>;

/** Most GPUs (WebGPU adapters, WebGL renderers) whose calibration is remembered (a laptop switches between two GPUs,
 *  plus an external one). */
export const MAX_REMEMBERED_RENDERERS = 4;
/** Longest renderer string kept (they are under 200 characters in practice). */
export const MAX_RENDERER_TEXT = 300;
const milliseconds = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1e6));

/** The TF.js backends that compute on a GPU, the first where the browser has it. */
export const GPU_BACKENDS = ['webgpu', 'webgl'] as const;

/** What the engine measured on one GPU and chose: measured again only for a GPU it has not seen. (Entries stored
 *  before WebGPU, with webglMs, fail this schema and are dropped by the settings' repair: measured once again.) */
export const backendCalibration = v.object({
  /** The WebGPU adapter ("WebGPU <vendor> <architecture> …") or the WebGL renderer string. */
  renderer: text(MAX_RENDERER_TEXT),
  /** The GPU backend measured against WASM. */
  gpu: v.picklist(GPU_BACKENDS),
  backend: v.picklist([...GPU_BACKENDS, 'wasm']),
  /** One pass of the calibration workload (ui/engine/calibrate.ts) on each backend. */
  gpuMs: milliseconds,
  wasmMs: milliseconds,
  /** False when the GPU ran past the time allowed: gpuMs is then only how long it was given. */
  gpuFinished: v.boolean(),
});
export type BackendCalibration = v.InferOutput<typeof backendCalibration>;

/** How the engine picks its backend: the user's setting and what was measured before. */
export const backendPreference = v.object({
  compute: computePreference,
  known: v.pipe(v.array(backendCalibration), v.maxLength(MAX_REMEMBERED_RENDERERS)),
});
export type BackendPreference = v.InferOutput<typeof backendPreference>;

const settings = v.object({
  placement,
  /** Last parameters used per technique (repaired on load: plugin/settings.ts). */
  params: v.record(v.string(), v.unknown()),
  /** The panel that was open last. */
  panel: text(40),
  /** Select each new result and scroll it into view (default true). */
  revealResult: v.boolean(),
  /** The plugin window's size, as the user last resized it. */
  window: windowSize,
  /** Compute on: absent means 'auto' (settings stored before the setting existed stay valid). */
  compute: v.optional(computePreference),
  /** The engine's calibrations, newest first, one per renderer (ui/engine/backend-memory.ts). */
  calibrations: v.optional(backendPreference.entries.known),
});
export type Settings = v.InferOutput<typeof settings>;

/** Messages from the UI to the sandbox. */
export const uiToPlugin = v.variant('type', [
  v.object({ type: v.literal('ui-ready') }),
  /** The UI starts its engine: the sandbox answers with 'engine-code' (plugin/ui-document.ts says why). */
  v.object({ type: v.literal('load-engine') }),
  v.object({
    type: v.literal('run-job'),
    id: jobId,
    job: jobRequest,
    placement,
    /** "Apply again": selected Pastiche results stand for the layers they were made from. Otherwise the job runs on
     *  the selection as it is (so a designer can chain effects on a result). */
    reapply: v.optional(v.boolean()),
  }),
  v.object({
    type: v.literal('job-result'),
    id: jobId,
    sourceId: layerId,
    job: jobRequest,
    placement,
    /** Pixel size of the whole result; it is drawn at the source's size in the document. */
    width: size(1 << 16),
    height: size(1 << 16),
    tiles: v.pipe(v.array(resultTile), v.minLength(1), v.maxLength(256)),
    /** What the run did that its parameters cannot tell, for the layer's name. */
    facts: v.optional(v.object({ stepsRun: v.optional(count(1e6)), detail: v.optional(text(200)), cells: v.optional(v.pipe(v.array(text(60)), v.minLength(1), v.maxLength(MAX_ROW_CELLS))) })),
  }),
  /** The answer of a technique over many layers; `sourceId` is the job's anchor (the query, or the first layer). */
  v.object({ type: v.literal('collection-result'), id: jobId, sourceId: layerId, job: jobRequest, result: collectionResult }),
  v.object({ type: v.literal('job-failed'), id: jobId, error: errorData }),
  /** A row of the "find similar" list was clicked: select that layer and zoom to it. */
  v.object({ type: v.literal('focus-layer'), layerId }),
  /** The user cancelled the job: results that still arrive for it are dropped (plugin/job-registry.ts). */
  v.object({ type: v.literal('cancel-job'), id: jobId }),
  v.object({ type: v.literal('save-settings'), settings }),
  /** The user dragged the window's corner: the sandbox resizes the window (and remembers the size with the settings). */
  v.object({ type: v.literal('resize-window'), size: windowSize }),
]);
export type UiToPlugin = v.InferOutput<typeof uiToPlugin>;

const exportedLayer = v.object({
  id: layerId,
  name: text(1000),
  /** The layer's size in the document. */
  width: size(1e6),
  height: size(1e6),
  /** The scale the pixels were exported at, so that pixel size = round(width * scale). */
  scale: size(1e3),
  /** PNG bytes (sRGB) at `scale` of the layer's own size. */
  png: bytes,
});
export type ExportedLayer = v.InferOutput<typeof exportedLayer>;

const layerSummary = v.object({
  id: layerId,
  name: text(1000),
  width: v.number(),
  height: v.number(),
  /** Set when the layer is itself a Pastiche result (its saved job). */
  job: v.optional(savedJob),
});
export type LayerSummary = v.InferOutput<typeof layerSummary>;

/** Messages from the sandbox to the UI. */
export const pluginToUi = v.variant('type', [
  v.object({ type: v.literal('init'), settings, selection: v.array(layerSummary), relaunch: v.optional(savedJob) }),
  v.object({ type: v.literal('selection'), selection: v.array(layerSummary) }),
  /** The engine's bundle, cut from the UI file (plugin/ui-document.ts); empty if the file carries none. */
  v.object({ type: v.literal('engine-code'), code: v.string() }),
  v.object({ type: v.literal('job-input'), id: jobId, job: jobRequest, placement, sources: v.array(exportedLayer), reference: v.optional(exportedLayer) }),
  /** The layers of a technique over many layers, exported small; `anchor` names the job's one answer. */
  v.object({
    type: v.literal('collection-input'),
    id: jobId,
    job: jobRequest,
    anchor: layerId,
    query: v.optional(exportedLayer),
    items: v.pipe(v.array(exportedLayer), v.maxLength(MAX_COLLECTION_ITEMS)),
  }),
  /** Layers were deleted from the current page (or their creation undone): a banner about them is out of date. */
  v.object({ type: v.literal('layers-removed'), ids: v.pipe(v.array(layerId), v.maxLength(MAX_REMOVED_IDS)) }),
  /** The sandbox is still reading layers (a page of hundreds of images takes a while). */
  v.object({ type: v.literal('job-progress'), id: jobId, fraction: v.pipe(v.number(), v.minValue(0), v.maxValue(1)), message: text(200) }),
  v.object({ type: v.literal('job-done'), id: jobId, sourceId: layerId, resultId: layerId, resultName: text(2000) }),
  v.object({ type: v.literal('job-error'), id: jobId, error: errorData }),
]);
export type PluginToUi = v.InferOutput<typeof pluginToUi>;

export type MessageType<M extends { type: string }, T extends M['type']> = Extract<M, { type: T }>;

/** A message from the UI, or null when it is not one (the sandbox ignores it). */
export function parseUiMessage(value: unknown): UiToPlugin | null {
  const result = v.safeParse(uiToPlugin, value);
  return result.success ? result.output : null;
}

/** A message from the sandbox, or null when it is not one (the UI ignores it). */
export function parsePluginMessage(value: unknown): PluginToUi | null {
  const result = v.safeParse(pluginToUi, value);
  return result.success ? result.output : null;
}

/** `panel: ''`: the first tab. */
export const DEFAULT_SETTINGS: Settings = { placement: 'beside', params: {}, panel: '', revealResult: true, window: { width: 320, height: 560 } };

/** Names the relaunch button of result layers (see manifest.json "relaunchButtons"). */
export const RELAUNCH_COMMAND = 'apply-again';
/** The pluginData key under which a result layer keeps its SavedJob as JSON. */
export const JOB_DATA_KEY = 'pastiche-job';

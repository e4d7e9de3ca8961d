// The one table of messages between the Figma sandbox (plugin/) and the UI iframe (ui/).
// Both sides import it (the UI type-only), so a message that one side sends and the other does not
// understand is a compile error. Every job message carries the id of the request that started it.

import type { PasticheErrorData } from '../techniques/errors';
import type { TechniqueId, TechniqueParams } from '../techniques/catalog';

/** Where a result layer goes: beside the source (default) or on top of it. */
export type Placement = 'beside' | 'on-top';

export interface Settings {
  placement: Placement;
  /** Last parameters used per technique, restored when the plugin opens. */
  params: Partial<TechniqueParams>;
  /** The panel that was open last. */
  panel: string;
}

export interface LayerSummary {
  id: string;
  name: string;
  width: number;
  height: number;
  /** Set when the layer is itself a Pastiche result (its saved job). */
  job?: SavedJob;
}

/** What a result layer remembers of the job that made it (setPluginData), for "Apply again". */
export interface SavedJob<Id extends TechniqueId = TechniqueId> {
  technique: Id;
  params: TechniqueParams[Id];
  sourceId: string;
  /** The layer used as the job's second image (a style layer), when there was one. */
  referenceId?: string;
}

/** One exported layer: PNG bytes (sRGB) at `scale` of the layer's own size. */
export interface ExportedLayer {
  id: string;
  name: string;
  /** The layer's size in the document. */
  width: number;
  height: number;
  /** The scale the pixels were exported at, so that pixel size = round(width * scale). */
  scale: number;
  png: Uint8Array;
}

/** A piece of a result, at most 4096 px a side (Figma's createImage limit), in result pixels. */
export interface ResultTile {
  x: number;
  y: number;
  width: number;
  height: number;
  png: Uint8Array;
}

export type JobRequest<Id extends TechniqueId = TechniqueId> = {
  technique: Id;
  params: TechniqueParams[Id];
  /** A layer the job reads as its second image (e.g. a style layer) instead of working on it. */
  referenceId?: string;
};

/** Longest side at which a reference layer (a style image) is exported: networks see styles at ~256-1024 px. */
export const MAX_REFERENCE_SIDE = 1024;

/** Messages from the UI to the sandbox. */
export type UiToPlugin =
  | { type: 'ui-ready' }
  | {
      type: 'run-job';
      id: string;
      job: JobRequest;
      placement: Placement;
      /** "Apply again": selected Pastiche results stand for the layers they were made from. Otherwise the
       *  job runs on the selection as it is (so a designer can chain effects on a result). */
      reapply?: boolean;
    }
  | {
      type: 'job-result';
      id: string;
      sourceId: string;
      job: JobRequest;
      placement: Placement;
      /** Pixel size of the whole result; it is drawn at the source's size in the document. */
      width: number;
      height: number;
      tiles: ResultTile[];
    }
  | { type: 'job-failed'; id: string; error: PasticheErrorData }
  | { type: 'save-settings'; settings: Settings }
  | { type: 'notify'; message: string };

/** Messages from the sandbox to the UI. */
export type PluginToUi =
  | { type: 'init'; settings: Settings; selection: LayerSummary[]; relaunch?: SavedJob }
  | { type: 'selection'; selection: LayerSummary[] }
  | { type: 'job-input'; id: string; job: JobRequest; placement: Placement; sources: ExportedLayer[]; reference?: ExportedLayer }
  | { type: 'job-done'; id: string; sourceId: string; resultId: string; resultName: string }
  | { type: 'job-error'; id: string; error: PasticheErrorData };

export type MessageType<M extends { type: string }, T extends M['type']> = Extract<M, { type: T }>;

export const DEFAULT_SETTINGS: Settings = { placement: 'beside', params: {}, panel: 'style' };

/** Names the relaunch button of result layers (see manifest.json "relaunchButtons"). */
export const RELAUNCH_COMMAND = 'apply-again';
/** The pluginData key under which a result layer keeps its SavedJob as JSON. */
export const JOB_DATA_KEY = 'pastiche-job';
/** Figma refuses images larger than this on a side. */
export const MAX_IMAGE_SIDE = 4096;

// Runs a technique by id: validates its parameters (the same function the sandbox and the CLI call), checks the
// image, loads techniques/<id>/run.ts and calls it. The run modules are found by their place, not by a second
// list: esbuild bundles every techniques/*/run.ts for this import, Node (tsx, jest) resolves it directly.
import type { CollectionImages, CollectionResult } from './collection';
import { PasticheError } from './errors';
import { assertNotEmpty, type RgbaImage } from './image';
import type { CollectionTechnique, JobContext, JobImages, Technique, TechniqueResult } from './job';
import { parseParams, techniqueSpec, type TechniqueId, type TechniqueParams } from './registry';

/**
 * What techniques/<id>/run.ts exports: the run (`runCollection` for a technique over many layers, whose spec has
 * `collection`), and optionally a CLI inspection (e.g. `dream --list-layers`).
 */
export interface TechniqueModule<Params> {
  run?: Technique<Params>;
  runCollection?: CollectionTechnique<Params>;
  /** Lines to print instead of running, when the CLI's extra options ask for them; null = run as usual. */
  inspect?(values: Record<string, unknown>, params: Params, context: JobContext): Promise<string[] | null>;
}

const loaded = new Map<string, Promise<TechniqueModule<unknown>>>();

/** The run module of a technique (loaded once). */
export function loadTechnique<Id extends TechniqueId>(id: Id): Promise<TechniqueModule<TechniqueParams[Id]>> {
  techniqueSpec(id); // an unknown id is a typed error before any import
  let pending = loaded.get(id);
  if (!pending) {
    pending = import(`./${id}/run.ts`) as Promise<TechniqueModule<unknown>>;
    loaded.set(id, pending);
  }
  return pending as Promise<TechniqueModule<TechniqueParams[Id]>>;
}

export async function runTechnique<Id extends TechniqueId>(id: Id, images: JobImages, rawParams: unknown, context: JobContext): Promise<TechniqueResult> {
  const params = parseParams(id, rawParams);
  assertNotEmpty(images.source, 'The image');
  assertWithinLimit(id, images.source);
  const { run } = await loadTechnique(id);
  if (!run) throw new PasticheError('internal', `${id} works on a set of layers, not on one image.`);
  return run(images, params, context);
}

/**
 * The spec's input limit, for every host: the sandbox exports within it, so this catches the CLI's and tests'
 * larger files with one line instead of an out-of-memory deep inside WASM (a 8192² blur aborted it).
 */
function assertWithinLimit(id: TechniqueId, image: RgbaImage): void {
  const spec = techniqueSpec(id);
  const longest = Math.max(image.width, image.height);
  if (longest > spec.maxInputSide) {
    throw new PasticheError('too-large', `${spec.label} works on images up to ${spec.maxInputSide} px a side, and this one is ${image.width} × ${image.height} px. Scale it down first.`);
  }
}

export async function runCollectionTechnique<Id extends TechniqueId>(id: Id, images: CollectionImages, rawParams: unknown, context: JobContext): Promise<CollectionResult> {
  const params = parseParams(id, rawParams);
  if (images.query) assertNotEmpty(images.query.image, 'The selected layer');
  for (const item of images.items) assertNotEmpty(item.image, 'A layer');
  const { runCollection } = await loadTechnique(id);
  if (!runCollection) throw new PasticheError('internal', `${id} works on one image, not on a set of layers.`);
  return runCollection(images, params, context);
}

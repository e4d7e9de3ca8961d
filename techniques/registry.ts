// The techniques, from the one list in specs.ts. Adding one = its folder techniques/<id>/ (spec.ts + run.ts) and one
// line in specs.ts; the sandbox, the panels, the CLI, the bench and the settings all read TECHNIQUE_SPECS.
// No TF.js here (the sandbox imports it).
import * as v from 'valibot';
import { PasticheError } from './errors';
import { checkParams, defaultsOf, repairParams } from './params';
import type { RunFacts, TechniqueSpec } from './technique-spec';
import * as SPECS from './specs';

type AnySpec = (typeof SPECS)[keyof typeof SPECS];

/** The panel groups in tab order; a group not named here comes after them. */
export const PANEL_ORDER = ['style', 'texture', 'dream', 'explore', 'basics'];
const groupRank = (panel: string) => (PANEL_ORDER.includes(panel) ? PANEL_ORDER.indexOf(panel) : PANEL_ORDER.length);

/** Every technique, in the order tabs, menus and --help show them. */
export const TECHNIQUE_SPECS: readonly AnySpec[] = (Object.values(SPECS) as AnySpec[]).sort(
  (a, b) => groupRank(a.panel) - groupRank(b.panel) || (a.menuOrder ?? 50) - (b.menuOrder ?? 50) || a.id.localeCompare(b.id),
);
export type TechniqueId = AnySpec['id'];
export type SpecOf<Id extends TechniqueId> = Extract<AnySpec, { id: Id }>;
/** The complete parameters of every technique, by id. */
export type TechniqueParams = { [Id in TechniqueId]: v.InferOutput<SpecOf<Id>['params']> };

const BY_ID = new Map<string, TechniqueSpec>(TECHNIQUE_SPECS.map((spec) => [spec.id, spec as unknown as TechniqueSpec]));

export function isTechniqueId(value: unknown): value is TechniqueId {
  return typeof value === 'string' && BY_ID.has(value);
}

export function techniqueSpec<Id extends TechniqueId>(id: Id): SpecOf<Id> {
  const spec = BY_ID.get(id);
  if (!spec) throw new PasticheError('bad-params', `Unknown technique "${String(id)}".`);
  return spec as unknown as SpecOf<Id>;
}

/** The one validation of a technique's parameters (sandbox, engine, CLI): complete and checked, or a typed error. */
export function parseParams<Id extends TechniqueId>(id: Id, raw: unknown): TechniqueParams[Id] {
  const checked = checkParams(techniqueSpec(id).params, raw);
  if (!checked.ok) throw new PasticheError('bad-params', checked.message);
  return checked.params as TechniqueParams[Id];
}

export function defaultParams<Id extends TechniqueId>(id: Id): TechniqueParams[Id] {
  return defaultsOf(techniqueSpec(id).params) as TechniqueParams[Id];
}

/** Stored (possibly old or broken) parameters made valid: good values kept, bad ones back to their defaults. */
export function repairStoredParams<Id extends TechniqueId>(id: Id, stored: unknown): TechniqueParams[Id] {
  return repairParams(techniqueSpec(id).params, stored) as TechniqueParams[Id];
}

/** "Blur (radius 8px)": the technique and its settings, as result layers and relaunch buttons show them. */
export function describeJob<Id extends TechniqueId>(id: Id, params: TechniqueParams[Id], run?: RunFacts): string {
  const spec = techniqueSpec(id) as unknown as TechniqueSpec;
  const settings = spec.describe(params as never, run);
  return settings ? `${spec.label} (${settings})` : spec.label;
}

/** "Photo — Blur (radius 8px)": the name of a result layer. */
export function resultLayerName<Id extends TechniqueId>(sourceName: string, id: Id, params: TechniqueParams[Id], run?: RunFacts): string {
  return `${sourceName} — ${describeJob(id, params, run)}`;
}

// Parameter schemas: each technique declares its parameters once, with valibot, through these builders. From that
// one declaration come the validation everywhere (sandbox, engine, CLI: the same function), the defaults (nested
// ones too), the repair of stored settings, the CLI's flags and --help, and the panels' slider ranges.
// No TF.js here: the Figma sandbox imports it.
import * as v from 'valibot';

/** What a panel and the CLI need to know of one parameter beyond its type. */
export interface ParamInfo {
  /** Short words a designer uses, e.g. "Strength". */
  label: string;
  /** One line: what it does. Shown as a tooltip and in --help. */
  help: string;
  /** Unit after the value, e.g. "px". */
  unit?: string;
  /** Show 0..1 as a percentage. */
  percent?: boolean;
  /** The CLI flag (kebab-case of the key by default); false = no flag (set through a technique's own CLI option). */
  cli?: string | false;
  /** Folded away under "More settings" in a generic panel. */
  advanced?: boolean;
  /** A number typed in a field rather than dragged (wide ranges such as weights); a slider by default. */
  control?: 'slider' | 'field';
  /** Not a designer's setting: no control in a panel (it still has its default and its check). */
  hidden?: boolean;
}

export interface NumberParamOptions extends ParamInfo {
  min: number;
  max: number;
  default: number;
  /** Slider step; 1 for integers by default. */
  step?: number;
  integer?: boolean;
}

const describeRange = (o: NumberParamOptions) =>
  `${o.label} must be ${o.integer ? 'a whole number from ' : ''}${o.min} to ${o.max}${o.unit ? ` ${o.unit}` : ''}`;

/** A number in [min, max] (a whole number when `integer`), with a default. */
export function numberParam(o: NumberParamOptions) {
  const outOfRange = (issue: v.BaseIssue<unknown>) => `${describeRange(o)} (got ${String(issue.input)}).`;
  const base = v.pipe(
    v.number((issue) => `${o.label} must be a number (got ${JSON.stringify(issue.input) ?? String(issue.input)}).`),
    v.finite(outOfRange),
    v.minValue(o.min, outOfRange),
    v.maxValue(o.max, outOfRange),
    v.check((value) => !o.integer || Number.isInteger(value), outOfRange),
    v.metadata({ param: { ...o, kind: 'number' as const, step: o.step ?? (o.integer ? 1 : (o.max - o.min) / 100) } }),
  );
  return v.optional(base, o.default);
}

export interface ChoiceParamOptions<T extends string> extends ParamInfo {
  options: readonly { value: T; label: string }[];
  default: NoInfer<T>;
}

/** One of a few named values (a segmented control or a menu). */
export function choiceParam<const T extends string>(o: ChoiceParamOptions<T>) {
  const values = o.options.map((option) => option.value) as unknown as [T, ...T[]];
  const base = v.pipe(
    v.picklist(values, (issue) => `${o.label} must be one of ${values.join(', ')} (got ${JSON.stringify(issue.input) ?? String(issue.input)}).`),
    v.metadata({ param: { ...o, kind: 'choice' as const } }),
  );
  return v.optional(base, o.default);
}

export interface BooleanParamOptions extends ParamInfo {
  default: boolean;
}

/** On or off (a toggle; a CLI flag without value). */
export function booleanParam(o: BooleanParamOptions) {
  const base = v.pipe(
    v.boolean((issue) => `${o.label} must be true or false (got ${JSON.stringify(issue.input) ?? String(issue.input)}).`),
    v.metadata({ param: { ...o, kind: 'boolean' as const } }),
  );
  return v.optional(base, o.default);
}

export interface TextParamOptions extends ParamInfo {
  default: string;
  maxLength?: number;
}

/** A short free text (a layer name, a class label): checked for length here, for meaning where it is used. */
export function textParam(o: TextParamOptions) {
  const max = o.maxLength ?? 100;
  const base = v.pipe(
    v.string((issue) => `${o.label} must be text (got ${JSON.stringify(issue.input) ?? String(issue.input)}).`),
    v.maxLength(max, `${o.label} must be at most ${max} characters.`),
    v.metadata({ param: { ...o, kind: 'text' as const } }),
  );
  return v.optional(base, o.default);
}

/** Parameters that belong together (e.g. the fine-control settings of one method); missing ones get defaults. */
/** A group's settings matter only while another parameter has one value (e.g. the Gatys settings: method "gatys"). */
export interface GroupCondition {
  key: string;
  value: string;
}

export function groupParam<const E extends v.ObjectEntries>(entries: E, info: Pick<ParamInfo, 'label' | 'help'> & { only?: GroupCondition }) {
  return v.optional(v.pipe(v.object(entries), v.metadata({ param: { ...info, kind: 'group' as const } })), {} as never);
}

/** A technique's parameters: an object of the builders above (or any valibot schema, for the unusual ones). */
export function paramsSchema<const E extends v.ObjectEntries>(entries: E) {
  return v.object(entries);
}

export type ParamsSchema = v.ObjectSchema<v.ObjectEntries, undefined>;

// ---------------------------------------------------------------------------------------------------------------
// Reading a schema back: the fields, their ranges and their defaults, for panels, the CLI and settings repair.

export type ParamField =
  | ({ kind: 'number'; key: string; path: string[]; default: number } & NumberParamOptions & { step: number })
  | ({ kind: 'choice'; key: string; path: string[]; default: string } & ChoiceParamOptions<string>)
  | ({ kind: 'boolean'; key: string; path: string[]; default: boolean } & BooleanParamOptions)
  | ({ kind: 'text'; key: string; path: string[]; default: string } & TextParamOptions)
  | ({ kind: 'group'; key: string; path: string[]; fields: ParamField[]; only?: GroupCondition } & Pick<ParamInfo, 'label' | 'help'>)
  | { kind: 'custom'; key: string; path: string[] };

type AnySchema = v.GenericSchema & { wrapped?: AnySchema; pipe?: readonly { type: string; metadata?: { param?: unknown } }[]; entries?: v.ObjectEntries };

function metadataOf(schema: AnySchema): Record<string, unknown> | undefined {
  const inner = schema.wrapped ?? schema;
  const action = inner.pipe?.find((item) => item.type === 'metadata');
  return action?.metadata?.param as Record<string, unknown> | undefined;
}

function objectEntries(schema: AnySchema): v.ObjectEntries | undefined {
  const inner = schema.wrapped ?? schema;
  return inner.entries ?? (inner.pipe?.[0] as AnySchema | undefined)?.entries;
}

/** The fields of a params schema (or of a group), in declaration order, each with its path from the root. */
export function paramFields(schema: v.GenericSchema, path: string[] = []): ParamField[] {
  const entries = objectEntries(schema as AnySchema) ?? {};
  return Object.entries(entries).map(([key, entry]) => {
    const info = metadataOf(entry as AnySchema);
    const at = [...path, key];
    if (!info) return { kind: 'custom', key, path: at };
    if (info.kind === 'group') return { ...(info as unknown as ParamInfo), kind: 'group', key, path: at, fields: paramFields(entry, at) };
    return { ...(info as object), key, path: at } as ParamField;
  });
}

/** Every leaf field (groups flattened), for CLI flags. */
export function leafFields(schema: v.GenericSchema): ParamField[] {
  return paramFields(schema).reduce<ParamField[]>((all, field) => all.concat(field.kind === 'group' ? field.fields : [field]), []);
}

/** The field at `key` of a schema (top level), e.g. to read a slider's range. Throws on a wrong key (a bug). */
export function paramField(schema: v.GenericSchema, key: string): ParamField {
  const field = paramFields(schema).find((f) => f.key === key);
  if (!field) throw new Error(`no parameter "${key}"`);
  return field;
}

/** The full default parameters of a schema. */
export function defaultsOf<S extends v.GenericSchema>(schema: S): v.InferOutput<S> {
  return v.parse(schema, {});
}

/** The first problem of `value` against `schema` as one sentence, or the parsed value (defaults filled). */
export function checkParams<S extends v.GenericSchema>(schema: S, value: unknown): { ok: true; params: v.InferOutput<S> } | { ok: false; message: string } {
  const result = v.safeParse(schema, value ?? {});
  if (result.success) return { ok: true, params: result.output };
  const issue = result.issues[0];
  const where = issue.path?.map((item) => String(item.key)).join('.');
  const known = /must|Choose|Unknown|weights|at most|at least/.test(issue.message);
  return { ok: false, message: known ? issue.message : `Setting "${where ?? '?'}": ${issue.message}` };
}

/**
 * Keeps every stored value that is valid on its own and puts the default in place of the others, field by field
 * and group by group: an old or hand-edited setting never breaks the plugin, and a good one is never lost.
 */
export function repairParams<S extends v.GenericSchema>(schema: S, stored: unknown): v.InferOutput<S> {
  const whole = v.safeParse(schema, stored ?? {});
  if (whole.success) return whole.output;
  const entries = objectEntries(schema as AnySchema);
  if (!entries || typeof stored !== 'object' || stored === null) return defaultsOf(schema);
  const repaired: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(entries)) {
    const value = (stored as Record<string, unknown>)[key];
    const one = v.safeParse(entry, value);
    repaired[key] = one.success ? one.output : objectEntries(entry as AnySchema) ? repairParams(entry, value) : v.parse(entry, undefined);
  }
  const again = v.safeParse(schema, repaired);
  return again.success ? again.output : defaultsOf(schema); // a cross-field rule still failing: the defaults
}

// ---------------------------------------------------------------------------------------------------------------
// Parameters several techniques share, written once.

/** A seed: the same seed gives the same result. */
export const seedParam = (help: string, defaultSeed = 0) =>
  numberParam({ label: 'Seed', help, min: 0, max: 2 ** 31 - 1, default: defaultSeed, integer: true, control: 'field', advanced: true });

/** How often an optimisation sends a preview (not a designer's setting: no flag, no control). */
export const previewEveryParam = (defaultEvery: number) =>
  numberParam({ label: 'Preview every', help: 'steps between previews (0 = none)', min: 0, max: 1000, default: defaultEvery, integer: true, cli: false, hidden: true });

/** The optimizer of an image optimisation: L-BFGS (ours) or Adam. */
export const optimizerParam = () =>
  choiceParam({
    label: 'Optimizer',
    help: 'L-BFGS (fewer, better steps) or Adam (cheaper steps)',
    options: [
      { value: 'lbfgs', label: 'L-BFGS' },
      { value: 'adam', label: 'Adam' },
    ],
    default: 'lbfgs',
    advanced: true,
  });

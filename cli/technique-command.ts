// Every technique as a command: `pastiche <id> IMAGE -o OUT.png [--flag ...]`. The flags, their help and their
// checks come from the technique's parameter schema (techniques/<id>/spec.ts); a technique adds options the
// schema cannot express (e.g. --style NAME@WEIGHT) through its spec's `cli` plan. Nothing here names a technique.
import { leafFields, paramFields, type ParamField } from '../techniques/params';
import { loadTechnique, runTechnique } from '../techniques/run-technique';
import { parseParams, techniqueSpec, type TechniqueId } from '../techniques/registry';
import type { TechniqueSpec } from '../techniques/technique-spec';
import { OUTPUT_OPTION, requireOne, UsageError, type CliCommand, type OptionSpec } from './command';
import { checkOutputFile, loadImageFile, saveImageFile } from './image-files';
import { resultImage } from './result-image';
import { cliContext, presetNames } from './resources';
import { progressReporter } from './progress';

/** Flags every command has (cli/main.ts, cli/command.ts): a parameter may not take them. */
const RESERVED_FLAGS = ['output', 'help', 'backend', 'quiet'];

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flag of a schema field, or null when the field has none (set through the technique's own options). An
 *  on-by-default switch is turned off with --no-NAME. */
export function flagOf(field: ParamField): string | null {
  if (field.kind === 'group' || field.kind === 'custom') return null;
  if (field.cli === false) return null;
  const name = field.cli ?? kebab(field.key);
  return field.kind === 'boolean' && field.default ? `no-${name}` : name;
}

function fieldHelp(field: ParamField): string {
  switch (field.kind) {
    case 'number': {
      const shown = (n: number) => (field.percent ? `${n}` : `${n}`);
      return `${field.help}: ${shown(field.min)}..${shown(field.max)}${field.unit ? ` ${field.unit}` : ''} (default ${field.default})`;
    }
    case 'choice':
      return `${field.help}: ${field.options.map((o) => o.value).join(' | ')} (default ${field.default})`;
    case 'boolean':
      return field.default ? `do not: ${field.help}` : field.help;
    case 'text':
      return `${field.help}${field.default ? ` (default ${field.default})` : ''}`;
    default:
      return '';
  }
}

/** A number as a user types it: "0.5", "12", "1e3"; not "", "0x1" or "1,5" (Number() would take some of those). */
function parseNumber(text: string, flag: string): number {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text.trim())) throw new UsageError(`--${flag} must be a number (got "${text}").`);
  return Number(text);
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}

/** A flag of a group that this run does not use (e.g. --steps with the quick style method) is refused, not ignored. */
function refuseUnusedFlags(spec: TechniqueSpec, values: Record<string, unknown>, params: Record<string, unknown>): void {
  for (const group of paramFields(spec.params)) {
    if (group.kind !== 'group' || !group.only || String(params[group.only.key]) === group.only.value) continue;
    const given = group.fields.map(flagOf).find((flag) => flag !== null && values[flag] !== undefined);
    if (given) throw new UsageError(`--${given} is a setting of the ${group.label.toLowerCase()}: it needs --${kebab(group.only.key)} ${group.only.value}.`);
  }
}

export function techniqueCommand(id: TechniqueId): CliCommand {
  const spec = techniqueSpec(id) as unknown as TechniqueSpec;
  const fields = leafFields(spec.params).filter((field) => flagOf(field) !== null);
  const options: Record<string, OptionSpec> = { ...OUTPUT_OPTION };
  for (const field of fields) {
    if (options[flagOf(field)!] || RESERVED_FLAGS.includes(flagOf(field)!)) throw new Error(`${spec.id}: the flag --${flagOf(field)} of "${field.key}" is taken (give the field another cli name)`);
    options[flagOf(field)!] = { type: field.kind === 'boolean' ? 'boolean' : 'string', description: fieldHelp(field), valueName: field.kind === 'boolean' ? undefined : 'X' };
  }
  for (const [name, { inspects: _, ...option }] of Object.entries(spec.cli?.options ?? {})) options[name] = option;

  return {
    name: spec.id,
    summary: spec.summary,
    usage: spec.cli?.usage ?? 'IMAGE -o OUT.png [options]',
    options,
    async run(positionals, values, io) {
      const inspecting = Object.entries(spec.cli?.options ?? {}).some(([name, option]) => option.inspects && values[name] !== undefined);
      if (!inspecting && typeof values.output !== 'string') throw new UsageError('Missing -o OUT.png.');
      if (!inspecting) checkOutputFile(values.output as string); // before any work, not after a long job
      const source = inspecting ? null : await loadImageFile(requireOne(positionals, 'image'));
      const params: Record<string, unknown> = {};
      for (const field of fields) {
        const flag = flagOf(field)!;
        const value = values[flag];
        if (value === undefined) continue;
        setAt(params, field.path, field.kind === 'number' ? parseNumber(String(value), flag) : field.kind === 'boolean' ? !field.default : value);
      }
      const adapted = (await spec.cli?.adapt?.(values, { readImage: loadImageFile, presets: presetNames })) ?? {};
      for (const [key, value] of Object.entries(adapted.params ?? {})) params[key] = value;
      refuseUnusedFlags(spec, values, parseParams(id, params) as Record<string, unknown>);
      const context = cliContext(progressReporter(spec.label, values.quiet === true));
      const module = await loadTechnique(id);
      const lines = await module.inspect?.(values, parseParams(id, params), context);
      if (lines) {
        for (const line of lines) io.out(line);
        return;
      }
      const started = Date.now();
      const technique = await runTechnique(id, { source: source!, reference: adapted.reference }, params, context);
      context.onProgress({ fraction: 1, message: 'done' });
      const result = resultImage(technique, spec.layout?.(parseParams(id, params) as never));
      await saveImageFile(values.output as string, result);
      // Not on a terminal (a script, a log): one line saying what was written, unless --quiet.
      if (!process.stderr.isTTY && values.quiet !== true) {
        process.stderr.write(`${spec.label}: wrote ${values.output} (${result.width}×${result.height} px) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      }
    },
  };
}

// The shape of a CLI command: its name, help and options, and what it does with them.
import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

export interface CliCommand {
  name: string;
  summary: string;
  /** e.g. "IMAGE -o OUT.png" */
  usage: string;
  options: Record<string, OptionSpec>;
  run(positionals: string[], options: Record<string, string | boolean | undefined>, io: CliIo): Promise<void>;
}

export interface CliIo {
  out(line: string): void;
}

/** Options every image-producing command shares. */
export const OUTPUT_OPTION: Record<string, OptionSpec> = {
  output: { type: 'string', short: 'o', description: 'where to write the result: .png, .jpg/.jpeg or .webp (quality 92)', valueName: 'OUT.png' },
};

export function requireOne(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`Expected one ${what}, got ${positionals.length}.`);
  return positionals[0];
}

export function numberOption(value: string | boolean | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(parsed)) throw new UsageError(`--${name} must be a number (got "${value}").`);
  return parsed;
}

export class UsageError extends Error {}

// `pastiche COMMAND ...`: runs the plugin's techniques headless on image files.
// Errors are one clear line on stderr and a non-zero exit; --help lists commands and options.
import { parseArgs } from 'node:util';
import { toErrorData } from '../techniques/errors';
import { useBackend } from './backend';
import { UsageError, type CliCommand, type OptionSpec } from './command';
import { classifyCommand } from './commands/classify';
import { similarCommand } from './commands/similar';
import { tsneCommand } from './commands/tsne';
import { techniqueCommand } from './technique-command';
import { TECHNIQUE_SPECS } from '../techniques/registry';

/** Every technique (from the one list of techniques), then the commands that are not techniques. */
const COMMANDS: CliCommand[] = [...TECHNIQUE_SPECS.filter((spec) => !('collection' in spec)).map((spec) => techniqueCommand(spec.id)), classifyCommand, similarCommand, tsneCommand];

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  backend: { type: 'string', description: 'TF.js backend: wasm (default) or cpu', valueName: 'NAME' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress line on the terminal' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.valueName ? ` ${spec.valueName}` : ''}`;
    return `  ${flag.padEnd(28)} ${spec.description}`;
  });
}

function help(command?: CliCommand): string {
  if (command) {
    return [`usage: pastiche ${command.name} ${command.usage}`, '', command.summary, '', 'options:', ...optionLines({ ...command.options, ...GLOBAL_OPTIONS })].join('\n');
  }
  return [
    'usage: pastiche COMMAND [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'pastiche COMMAND --help shows the options of a command.',
  ].join('\n');
}

export async function main(argv: string[], io = { out: (line: string) => process.stdout.write(`${line}\n`) }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`);
    const { values, positionals } = parseArgs({ args: rest, options: { ...command.options, ...GLOBAL_OPTIONS }, allowPositionals: true, strict: true });
    if (values.help) {
      io.out(help(command));
      return 0;
    }
    await useBackend(typeof values.backend === 'string' ? values.backend : 'wasm');
    await command.run(positionals, values as Record<string, string | boolean | undefined>, io);
    return 0;
  } catch (error) {
    process.stderr.write(`pastiche: ${isUsageProblem(error) ? `${(error as Error).message} See: pastiche ${command ? `${command.name} ` : ''}--help` : toErrorData(error).message}\n`);
    return 2;
  }
}

/** Wrong arguments (ours or node's parseArgs): the message then points at --help. */
function isUsageProblem(error: unknown): boolean {
  return error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

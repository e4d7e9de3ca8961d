// Proof that a technique is one folder plus one line: in a copy of the project, a throwaway technique is added as
// techniques/probe/ (spec.ts + run.ts) and one line in techniques/specs.ts, and nothing else is touched. It then
// shows up in the panel tabs, the CLI (its own --help, flags and messages from its schema, and a real run), the
// bench's case list, and the one validation every host calls.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, assetPath } from '../support/assets';

jest.setTimeout(120_000);

const SPEC = `import { choiceParam, numberParam, paramsSchema } from '../params';
import { defineTechnique } from '../technique-spec';

export const probeSpec = defineTechnique({
  id: 'probe',
  label: 'Probe',
  summary: 'a throwaway technique that paints the image one grey',
  panel: 'lab',
  maxInputSide: 512,
  params: paramsSchema({
    level: numberParam({ label: 'Level', help: 'the grey level in tenths', min: 0, max: 10, default: 3, integer: true }),
    mode: choiceParam({ label: 'Mode', help: 'what to paint', options: [{ value: 'flat', label: 'Flat' }, { value: 'half', label: 'Half' }], default: 'flat' }),
  }),
  describe: (p) => \`level \${p.level}\`,
  bench: { sizes: [64] },
});
`;

const RUN = `import { createRgbaImage } from '../image';
import type { Technique } from '../job';

export const run: Technique<{ level: number; mode: string }> = async ({ source }, { level }) =>
  createRgbaImage(source.width, source.height, new Uint8ClampedArray(source.width * source.height * 4).fill(level * 25));
`;

const SCRIPT = `import { main } from './cli/main';
import { panelTabs } from './ui/panels/tabs';
import { planCases } from './bench/cases';
import { parseOptions } from './bench/options';
import { parseParams } from './techniques/registry';

(async () => {
  const lines: string[] = [];
  const io = { out: (line: string) => void lines.push(line) };
  const report: Record<string, unknown> = {};
  report.tabs = panelTabs().map((t) => ({ id: t.id, label: t.label, techniques: t.techniques }));
  report.commandsHelpExit = await main(['--help'], io);
  report.commands = lines.splice(0);
  report.helpExit = await main(['probe', '--help'], io);
  report.help = lines.splice(0);
  report.runExit = await main(['probe', process.argv[2], '-o', process.argv[3], '--level', '4', '--quiet'], io);
  report.cases = planCases(parseOptions(['--cases', 'lab', '--backends', 'wasm'])).map((c) => \`\${c.name} \${c.size}\`);
  try {
    parseParams('probe' as never, { level: 11 });
    report.validation = 'accepted';
  } catch (error) {
    report.validation = { code: (error as { code: string }).code, message: (error as Error).message };
  }
  report.defaults = parseParams('probe' as never, {});
  console.log(JSON.stringify(report));
})();
`;

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(path.join(tmpdir(), 'pastiche-add-technique-'));
  for (const folder of ['techniques', 'cli', 'bench', 'ui', 'plugin', 'models', 'playground']) {
    cpSync(path.join(PROJECT_ROOT, folder), path.join(copy, folder), { recursive: true });
  }
  for (const file of ['package.json', 'tsconfig.json']) cpSync(path.join(PROJECT_ROOT, file), path.join(copy, file));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(copy, 'node_modules'));
  symlinkSync(path.join(PROJECT_ROOT, '.cache'), path.join(copy, '.cache'));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

test('a technique in one folder plus one line appears in the tabs, the CLI, the bench and validation', () => {
  const specsFile = path.join(copy, 'techniques', 'specs.ts');
  const specsBefore = readFileSync(specsFile, 'utf8');
  // The whole change: one folder and one line.
  mkdirSync(path.join(copy, 'techniques', 'probe'));
  writeFileSync(path.join(copy, 'techniques', 'probe', 'spec.ts'), SPEC);
  writeFileSync(path.join(copy, 'techniques', 'probe', 'run.ts'), RUN);
  appendFileSync(specsFile, "export { probeSpec } from './probe/spec';\n");
  expect(readFileSync(specsFile, 'utf8').split('\n').length - specsBefore.split('\n').length).toBe(1);

  writeFileSync(path.join(copy, 'probe-script.ts'), SCRIPT);
  const output = path.join(copy, 'probe-out.png');
  const stdout = execFileSync(process.execPath, [require.resolve('tsx/cli'), 'probe-script.ts', assetPath('content', 'chelsea'), output], { cwd: copy, encoding: 'utf8' });
  const report = JSON.parse(stdout.trim().split('\n').pop()!);

  expect(report.tabs).toContainEqual({ id: 'lab', label: 'Lab', techniques: ['probe'] });
  expect(report.commands.join('\n')).toMatch(/^ {2}probe +a throwaway technique/m);
  expect(report.helpExit).toBe(0);
  const help = report.help.join('\n');
  expect(help).toMatch(/--level X +the grey level in tenths: 0\.\.10 \(default 3\)/);
  expect(help).toMatch(/--mode X +what to paint: flat \| half \(default flat\)/);
  expect(report.runExit).toBe(0);
  expect(readFileSync(output).subarray(1, 4).toString()).toBe('PNG');
  expect(report.cases).toEqual(['probe 64']);
  expect(report.validation).toEqual({ code: 'bad-params', message: 'Level must be a whole number from 0 to 10 (got 11).' });
  expect(report.defaults).toEqual({ level: 3, mode: 'flat' });
});

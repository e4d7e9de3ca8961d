// Command-line options of `npm run bench`: which case groups, backends and sizes, and the per-case time limit.
import type { Backend } from './page/protocol';
import { caseGroups } from './cases';

export interface BenchOptions {
  /** "networks", technique panel groups (basics, style, ...) or technique ids. */
  groups: string[];
  backends: Backend[];
  /** Restricts every group's sizes to these (when given). */
  sizes: number[] | null;
  /** Only the rows of these names, e.g. texture:neural-quality (when given). */
  rows: string[] | null;
  /** A baseline to compare this run's rows with (bench/compare.ts). */
  compare: string | null;
  /** A baseline file to write this run's rows into. */
  saveBaseline: string | null;
  /** Smallest size of each group only. */
  quick: boolean;
  timeoutMs: number;
  out: string;
}

const usage = () => `npm run bench -- [--cases ${caseGroups().join(',')}] [--backends webgpu,webgl,wasm (default webgl,wasm)] [--sizes 512,1024]
                    [--rows texture:neural,texture:patch (only rows of these names)] [--quick] [--timeout SECONDS (per case, default 120)] [--out bench/report.json]
                    [--compare bench/baseline.json (each row's ratio to it; > 25% worse is flagged)] [--save-baseline FILE]`;

export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    groups: caseGroups(),
    backends: ['webgl', 'wasm'],
    sizes: null,
    rows: null,
    compare: null,
    saveBaseline: null,
    quick: false,
    timeoutMs: 120_000,
    out: 'bench/report.json',
  };
  const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--cases':
        // "basic" was the Basics group's name before groups came from the techniques' specs.
        options.groups = list(value()).map((g) => oneOf(g === 'basic' ? 'basics' : g, caseGroups(), '--cases'));
        break;
      case '--backends':
        options.backends = list(value()).map((b) => oneOf(b, ['webgpu', 'webgl', 'wasm'] as const, '--backends'));
        break;
      case '--sizes':
        options.sizes = list(value()).map(Number);
        break;
      case '--rows':
        options.rows = list(value());
        break;
      case '--compare':
        options.compare = value();
        break;
      case '--save-baseline':
        options.saveBaseline = value();
        break;
      case '--quick':
        options.quick = true;
        break;
      case '--timeout':
        options.timeoutMs = Number(value()) * 1000;
        break;
      case '--out':
        options.out = value();
        break;
      case '--help':
        console.log(usage());
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}\n${usage()}`);
    }
  }
  return options;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${flag}: ${value} is not one of ${allowed.join(', ')}`);
  return value as T;
}

// Command-line options of `npm run bench`: which case groups, backends and sizes, and the per-case time limit.
import type { Backend } from './page/protocol';

export type CaseGroup = 'basic' | 'networks' | 'style';

export interface BenchOptions {
  groups: CaseGroup[];
  backends: Backend[];
  /** Restricts every group's sizes to these (when given). */
  sizes: number[] | null;
  /** Smallest size of each group only. */
  quick: boolean;
  timeoutMs: number;
  gatysSteps: number;
  out: string;
}

const USAGE = `npm run bench -- [--cases basic,networks,style] [--backends webgl,wasm] [--sizes 512,1024] [--quick]
                    [--timeout SECONDS (per case, default 120)] [--gatys-steps N (default 4)] [--out bench/report.json]`;

export function parseOptions(argv: string[]): BenchOptions {
  const options: BenchOptions = {
    groups: ['basic', 'networks', 'style'],
    backends: ['webgl', 'wasm'],
    sizes: null,
    quick: false,
    timeoutMs: 120_000,
    gatysSteps: 4,
    out: 'bench/report.json',
  };
  const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--cases':
        options.groups = list(value()).map((g) => oneOf(g, ['basic', 'networks', 'style'] as const, '--cases'));
        break;
      case '--backends':
        options.backends = list(value()).map((b) => oneOf(b, ['webgl', 'wasm'] as const, '--backends'));
        break;
      case '--sizes':
        options.sizes = list(value()).map(Number);
        break;
      case '--quick':
        options.quick = true;
        break;
      case '--timeout':
        options.timeoutMs = Number(value()) * 1000;
        break;
      case '--gatys-steps':
        options.gatysSteps = Number(value());
        break;
      case '--out':
        options.out = value();
        break;
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  return options;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${flag}: ${value} is not one of ${allowed.join(', ')}`);
  return value as T;
}

// The case list of a run: which page cases, at which sizes, on which backends, from the options.
import type { BenchOptions } from './options';
import type { Backend, CaseSpec, ForwardNetwork, ReferenceNetwork } from './page/protocol';

export interface PlannedCase {
  /** Row name in the report, e.g. "blur", "forward:vgg19", "reference:mobilenet_v2". */
  name: string;
  size: number;
  /** TF.js backend of the page; reference cases run on the TFLite interpreter whatever the page's backend. */
  backend: Backend | 'tflite-wasm';
  pageBackend: Backend;
  spec: CaseSpec;
}

const BASIC_SIZES = [512, 1024, 2048];
const NETWORK_SIZES = [224, 512, 1024];
const STYLE_SIZES = [512, 1024, 2048, 4096];
/** The reference models' fixed input sizes; our transformer also runs at 384 for the ratio. */
export const REFERENCE_SIZES: Record<ReferenceNetwork, number> = { mobilenet_v2: 224, magenta_predictor: 256, magenta_transformer: 384 };

function pick(sizes: number[], options: BenchOptions): number[] {
  const chosen = options.sizes ? sizes.filter((s) => options.sizes!.includes(s)) : sizes;
  return options.quick ? chosen.slice(0, 1) : chosen;
}

/** Cases per backend page, in running order; the load case comes first so it sees a page with nothing loaded. */
export function planCases(options: BenchOptions): PlannedCase[] {
  const planned: PlannedCase[] = [];
  for (const backend of options.backends) {
    const add = (name: string, size: number, spec: CaseSpec, caseBackend: PlannedCase['backend'] = backend) =>
      planned.push({ name, size, backend: caseBackend, pageBackend: backend, spec });
    if (options.groups.includes('networks')) add('load-all', 224, { kind: 'load-all' });
    if (options.groups.includes('basic')) {
      for (const size of pick(BASIC_SIZES, options)) {
        add('invert', size, { kind: 'technique', id: 'invert', size, params: {} });
        add('grayscale', size, { kind: 'technique', id: 'grayscale', size, params: {} });
        add('blur', size, { kind: 'technique', id: 'blur', size, params: { radius: 8 } });
      }
    }
    if (options.groups.includes('networks')) {
      const forward = (network: ForwardNetwork, sizes: number[]) => {
        for (const size of sizes) add(`forward:${network}`, size, { kind: 'forward', network, size });
      };
      const sizes = pick(NETWORK_SIZES, options);
      forward('mobilenet_v2', [...new Set([224, ...sizes])].filter((s) => !options.quick || s === 224));
      forward('darknet_tiny', sizes);
      forward('vgg19', sizes);
      forward('magenta_predictor', [256]);
      forward('magenta_transformer', [...new Set([384, ...sizes])].sort((a, b) => a - b));
      // The reference interpreter is the same whatever the page's backend: run it once, on the first page.
      if (backend === options.backends[0]) {
        for (const network of Object.keys(REFERENCE_SIZES) as ReferenceNetwork[]) {
          add(`reference:${network}`, REFERENCE_SIZES[network], { kind: 'reference', network }, 'tflite-wasm');
        }
      }
    }
    if (options.groups.includes('style')) {
      for (const size of pick(STYLE_SIZES, options)) add('style-fast', size, { kind: 'style-fast', size });
      // L-BFGS is the catalog default; Adam is the other choice (one gradient per step, no line search).
      for (const optimizer of ['lbfgs', 'adam'] as const) add(`gatys:${optimizer}`, 512, { kind: 'gatys', size: 512, steps: options.gatysSteps, optimizer });
    }
  }
  return planned;
}

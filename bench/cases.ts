// The case list of a run: which page cases, at which sizes, on which backends, from the options. The technique
// rows come from the techniques' own specs (their `bench` plan): a new technique is benchmarked without an edit here.
import { TECHNIQUE_SPECS } from '../techniques/registry';
import type { TechniqueSpec } from '../techniques/technique-spec';
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

const NETWORK_SIZES = [224, 512, 1024];
/** The reference models' fixed input sizes; our transformer also runs at 384 for the ratio. */
export const REFERENCE_SIZES: Record<ReferenceNetwork, number> = { mobilenet_v2: 224, magenta_predictor: 256, magenta_transformer: 384 };

function pick(sizes: readonly number[], options: BenchOptions): number[] {
  const chosen = options.sizes ? sizes.filter((s) => options.sizes!.includes(s)) : [...sizes];
  return options.quick ? chosen.slice(0, 1) : chosen;
}

/** The case groups `--cases` accepts: "networks", every technique's panel group, and every technique id. */
export function caseGroups(): string[] {
  return ['networks', ...new Set(TECHNIQUE_SPECS.flatMap((spec) => [spec.panel, spec.id]))];
}

/** The rows of one technique: each of its bench variants (or its defaults) at each of its sizes. */
export function techniqueCases(spec: Pick<TechniqueSpec, 'id' | 'bench'>, options: BenchOptions): Array<{ name: string; size: number; spec: CaseSpec }> {
  if (!spec.bench) return [];
  const variants = spec.bench.variants ?? [{ name: spec.id, params: {} }];
  return variants.flatMap((variant) =>
    pick(variant.sizes ?? spec.bench!.sizes, options).map((size) => ({
      name: variant.name,
      size,
      spec: { kind: 'technique' as const, id: spec.id, size, params: variant.params, perStep: variant.perStep === true },
    })),
  );
}

/** Cases per backend page, in running order; the load case comes first so it sees a page with nothing loaded. */
export function planCases(options: BenchOptions, specs: readonly Pick<TechniqueSpec, 'id' | 'panel' | 'bench'>[] = TECHNIQUE_SPECS): PlannedCase[] {
  const planned: PlannedCase[] = [];
  const wants = (group: string) => options.groups.includes(group);
  for (const backend of options.backends) {
    const add = (name: string, size: number, spec: CaseSpec, caseBackend: PlannedCase['backend'] = backend) =>
      planned.push({ name, size, backend: caseBackend, pageBackend: backend, spec });
    if (wants('networks')) add('load-all', 224, { kind: 'load-all' });
    for (const spec of specs) {
      if (!wants(spec.panel) && !wants(spec.id)) continue;
      for (const row of techniqueCases(spec, options)) add(row.name, row.size, row.spec);
    }
    if (wants('networks')) {
      const forward = (network: ForwardNetwork, sizes: number[]) => {
        for (const size of sizes) add(`forward:${network}`, size, { kind: 'forward', network, size });
      };
      const sizes = pick(NETWORK_SIZES, options);
      forward('mobilenet_v2', [...new Set([224, ...sizes])].filter((s) => !options.quick || s === 224));
      forward('darknet_tiny', sizes);
      forward('vgg19', sizes);
      forward('magenta_predictor', [256]);
      forward('magenta_transformer', [...new Set([384, ...sizes])].sort((a, b) => a - b));
      // One optimisation step against one forward pass, per network (the "≤ 2.5×"), at 256 and 512 px.
      for (const network of ['vgg19', 'mobilenet_v2', 'darknet_tiny'] as const) {
        for (const size of pick([256, 512], options)) add(`gradient:${network}`, size, { kind: 'gradient', network, size });
      }
      // The reference interpreter is the same whatever the page's backend: run it once, on the first page.
      if (backend === options.backends[0]) {
        for (const network of Object.keys(REFERENCE_SIZES) as ReferenceNetwork[]) {
          add(`reference:${network}`, REFERENCE_SIZES[network], { kind: 'reference', network }, 'tflite-wasm');
        }
      }
    }
  }
  return planned;
}

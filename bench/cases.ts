// The case list of a run: which page cases, at which sizes, on which backends, from the options. The technique
// rows come from the techniques' own specs (their `bench` plan): a new technique is benchmarked without an edit here.
import { TECHNIQUE_SPECS } from '../techniques/registry';
import type { TechniqueSpec } from '../techniques/technique-spec';
import type { BenchOptions } from './options';
import type { Backend, CaseSpec, ForwardNetwork, OddInputSpec, ReferenceNetwork } from './page/protocol';
import { textureQualityCases } from './texture-cases';
import { styleQualityCases } from './style-cases';

export interface PlannedCase {
  /** Row name in the report, e.g. "blur", "forward:vgg19", "reference:mobilenet_v2". */
  name: string;
  size: number;
  /** TF.js backend of the page; reference cases run on the TFLite interpreter whatever the page's backend, t-SNE in
   *  plain JavaScript ('js'). */
  backend: Backend | 'tflite-wasm' | 'js';
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

/** The case groups `--cases` accepts: "networks", every technique's panel group, every technique id, and the
 *  collection techniques' parts ("embedding", "tsne"; both also run with "explore"). */
export function caseGroups(): string[] {
  return ['networks', ...new Set([...TECHNIQUE_SPECS.flatMap((spec) => [spec.panel, spec.id]), ...EXPLORE_PARTS, 'memory'])];
}

/** Odd inputs (issue #12): a job's peak memory on a stripe or a huge image, run once ("memory" group). */
const ODD_INPUTS: Array<{ name: string; spec: OddInputSpec }> = [
  { name: 'memory:style-1x20000', spec: { kind: 'odd-input', id: 'style', width: 1, height: 20000, role: 'reference', params: { styles: [{ source: 'layer', weight: 1 }] } } },
  { name: 'memory:style-20000x3', spec: { kind: 'odd-input', id: 'style', width: 20000, height: 3, role: 'reference', params: { styles: [{ source: 'layer', weight: 1 }] } } },
  { name: 'memory:style-content-4096x3', spec: { kind: 'odd-input', id: 'style', width: 4096, height: 3, role: 'source', params: { strength: 0.5 } } },
  { name: 'memory:invert-8192', spec: { kind: 'odd-input', id: 'invert', width: 8192, height: 8192, role: 'source', params: {} } },
];

/** Find similar / Arrange by similarity work on many layers at once: their parts are benchmarked, not the jobs. */
const EXPLORE_PARTS = ['embedding', 'tsne'];
/** Embedding throughput: this many 224 px images in the embedder's batches of this size (after one warm-up batch). */
const EMBEDDING_IMAGES = 32;
const EMBEDDING_BATCH = 8;
/** t-SNE item counts (the row's "size"): 1280-d random vectors, MobileNetV2's embedding size. */
const TSNE_ITEMS = [50, 200, 500];

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
    const add = (name: string, size: number, spec: CaseSpec, caseBackend: PlannedCase['backend'] = backend) => {
      if (!options.rows || options.rows.includes(name)) planned.push({ name, size, backend: caseBackend, pageBackend: backend, spec });
    };
    if (wants('networks')) add('load-all', 224, { kind: 'load-all' });
    for (const spec of specs) {
      if (!wants(spec.panel) && !wants(spec.id)) continue;
      for (const row of techniqueCases(spec, options)) add(row.name, row.size, row.spec);
      if (spec.id === 'texture') for (const row of textureQualityCases((sizes) => pick(sizes, options))) add(row.name, row.size, row.spec);
      if (spec.id === 'style') for (const row of styleQualityCases((sizes) => pick(sizes, options))) add(row.name, row.size, row.spec);
    }
    if (wants('memory')) for (const { name, spec } of ODD_INPUTS) add(name, Math.max(spec.width, spec.height), spec);
    if (wants('explore') || wants('embedding')) {
      for (const size of pick([224], options)) add('embedding:mobilenet_v2', size, { kind: 'embedding', size, images: EMBEDDING_IMAGES, batchSize: EMBEDDING_BATCH });
    }
    // t-SNE is plain JavaScript, the same on every page: run it once, on the first page.
    if ((wants('explore') || wants('tsne')) && backend === options.backends[0]) {
      for (const items of pick(TSNE_ITEMS, options)) add('tsne', items, { kind: 'tsne', items, dimension: 1280, seed: items }, 'js');
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

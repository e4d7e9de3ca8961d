// Style transfer: a painting preset or another layer as the style; fast (one network pass) or Gatys optimization.
import * as v from 'valibot';
import { PasticheError } from '../errors';
import { closest, percent } from '../format';
import type { RgbaImage } from '../image';
import { booleanParam, choiceParam, groupParam, numberParam, optimizerParam, paramsSchema, previewEveryParam } from '../params';
import { defineTechnique, type CliPlan, type RunFacts } from '../technique-spec';
import { STYLE_PRESETS, STYLE_PRESET_IDS } from './presets';

/** One style of a blend: a bundled preset, or "layer" = the other selected layer (the job's reference image). */
const styleChoice = v.object({
  source: v.picklist([...STYLE_PRESET_IDS, 'layer'], (issue) => `Unknown style "${String(issue.input)}".`),
  /** Relative weight in a blend; weights are normalized to sum to 1. */
  weight: v.pipe(v.number('Style weights must be positive numbers.'), v.finite('Style weights must be positive numbers.'), v.gtValue(0, 'Style weights must be positive numbers.')),
});
export type StyleChoice = v.InferOutput<typeof styleChoice>;

const styles = v.optional(
  v.pipe(v.array(styleChoice, 'Choose one to three styles.'), v.minLength(1, 'Choose one to three styles.'), v.maxLength(3, 'Choose one to three styles.')),
  () => [{ source: 'starry_night' as const, weight: 1 }],
);

export const MAX_RESULT_SIDE = 4096;

const styleParams = paramsSchema({
    method: choiceParam({
      label: 'Method',
      help: 'quick = one pass of a style network; detailed = Gatys optimization on VGG19 features',
      options: [
        { value: 'fast', label: 'Quick' },
        { value: 'gatys', label: 'Detailed' },
      ],
      default: 'fast',
    }),
    styles,
    strength: numberParam({ label: 'Strength', help: "0% = the content's own look, 100% = full style", min: 0, max: 1, default: 1, step: 0.01, percent: true }),
    preserveColors: booleanParam({ label: 'Keep the colours', help: "keep the content's colours, take only the texture", default: false }),
    styleScale: numberParam({ label: 'Brush size', help: 'the size the style is seen at: smaller = finer strokes', min: 0.25, max: 2, default: 1, step: 0.05, cli: 'style-scale' }),
    size: numberParam({ label: 'Output size', help: "longest side of the result in px (0 = the layer's own size)", min: 0, max: MAX_RESULT_SIDE, default: 0, integer: true, unit: 'px' }),
    gatys: groupParam(
      {
        steps: numberParam({ label: 'Steps', help: 'optimization steps of the detailed method', min: 1, max: 5000, default: 60, integer: true, control: 'field' }),
        contentWeight: numberParam({ label: 'Content', help: 'how much the layout of the content counts', min: 0, max: 1e6, default: 1, advanced: true, control: 'field' }),
        styleWeight: numberParam({ label: 'Detail', help: 'how much the texture of the style counts', min: 0, max: 1e9, default: 1e3, advanced: true, control: 'field' }),
        tvWeight: numberParam({ label: 'Smoothness', help: 'penalty on pixel noise (total variation)', min: 0, max: 1e3, default: 1e-3, advanced: true, cli: 'smoothness', control: 'field' }),
        init: choiceParam({
          label: 'Start from',
          help: 'start from the photo (fast) or from noise (as in the paper)',
          options: [
            { value: 'content', label: 'Photo' },
            { value: 'noise', label: 'Noise' },
          ],
          default: 'content',
          advanced: true,
        }),
        optimizer: optimizerParam(),
        pyramidLevels: numberParam({ label: 'Scales', help: 'image pyramid levels: more catch larger strokes', min: 1, max: 4, default: 2, integer: true, advanced: true }),
        previewEvery: previewEveryParam(10),
      },
      { label: 'Detailed method', help: 'settings of the Gatys optimization', only: { key: 'method', value: 'gatys' } },
    ),
});
export type StyleParams = v.InferOutput<typeof styleParams>;
export type GatysParams = StyleParams['gatys'];

export const styleSpec = defineTechnique({
  id: 'style',
  label: 'Style',
  summary: 'apply a painting preset or any image as a style',
  panel: 'style',
  maxInputSide: 4096,
  params: styleParams,
  reference: { role: 'style', maxSide: 1024, wanted: (p) => p.styles.some((s) => s.source === 'layer') },
  describe: describeStyle,
  resultPixels: (p, width, height) => {
    if (!p.size) return width * height;
    const long = Math.max(width, height);
    return Math.round((width * p.size) / long) * Math.round((height * p.size) / long);
  },
  cli: {
    usage: 'CONTENT --style STYLE_OR_PRESET -o OUT.png [options]',
    options: {
      style: {
        type: 'string',
        multiple: true,
        description: `a preset (${STYLE_PRESET_IDS.join(', ')}) or an image file; repeat to blend, NAME@WEIGHT`,
        valueName: 'STYLE',
      },
    },
    adapt: adaptStyleOptions,
  },
  bench: {
    sizes: [512, 1024, 2048, 4096],
    variants: [
      { name: 'style-fast', params: { method: 'fast' } },
      // The default pyramid (2 levels), 4 steps a stage: ms per step at the output's size and the job's peak memory
      // (issue #13: ≤ 800 MB at 512 px, ≤ 1.5 GB at 1024 px). Quality and time of the default job: style:gatys-quality.
      { name: 'gatys:lbfgs', params: { method: 'gatys', gatys: { steps: 4, optimizer: 'lbfgs', previewEvery: 0 } }, sizes: [512, 1024], perStep: true },
      { name: 'gatys:adam', params: { method: 'gatys', gatys: { steps: 4, optimizer: 'adam', previewEvery: 0 } }, sizes: [512], perStep: true },
    ],
  },
});


function styleName(choice: StyleChoice, referenceName: string | undefined): string {
  if (choice.source === 'layer') return referenceName ? `style of ${referenceName}` : 'layer style';
  return STYLE_PRESETS.find((p) => p.id === choice.source)?.short ?? choice.source;
}

function describeStyle(p: StyleParams, run: RunFacts = {}): string {
  const total = p.styles.reduce((t, c) => t + c.weight, 0);
  const name = (s: StyleChoice) => styleName(s, run.referenceName);
  const steps = run.stepsRun ?? p.gatys.steps;
  return [
    p.styles.map((s) => (p.styles.length > 1 ? `${name(s)} ${percent(s.weight / total)}` : name(s))).join(' + '),
    p.method === 'gatys' ? `detailed, ${steps} step${steps === 1 ? '' : 's'}${run.stepsRun !== undefined && run.stepsRun < p.gatys.steps ? ` of ${p.gatys.steps}` : ''}` : '',
    run.detail ?? '', // e.g. "made at 540 px" when memory set the working size
    p.strength < 1 ? `strength ${percent(p.strength)}` : '',
    p.preserveColors ? 'colours kept' : '',
    p.styleScale !== 1 ? `brush ${p.styleScale}×` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** "starry_night", "my-painting.jpg" or either with "@0.3" for its weight in a blend. */
function parseStyleOption(text: string): { name: string; weight: number } {
  const at = text.lastIndexOf('@');
  if (at > 0 && /^\d*\.?\d+$/.test(text.slice(at + 1))) return { name: text.slice(0, at), weight: Number(text.slice(at + 1)) };
  return { name: text, weight: 1 };
}

/** --style options -> the styles list, and at most one image file as the job's reference ("layer"). */
async function adaptStyleOptions(values: Record<string, unknown>, io: Parameters<NonNullable<CliPlan<StyleParams>['adapt']>>[1]) {
  const specs = (values.style as string[] | undefined) ?? [];
  const presets = STYLE_PRESET_IDS as readonly string[];
  if (specs.length === 0) throw new PasticheError('bad-params', `Missing --style (a preset: ${presets.join(', ')}; or an image file).`);
  if (specs.length > 3) throw new PasticheError('bad-params', 'At most three styles can be blended.');
  let referenceFile: string | undefined;
  const styles = specs.map((text): StyleChoice => {
    const { name, weight } = parseStyleOption(text);
    if (presets.includes(name) && io.presets('styles').includes(name)) return { source: name as StyleChoice['source'], weight };
    if (!/[./\\]/.test(name)) {
      // Not a file name: a mistyped preset.
      const guess = closest(name, presets);
      throw new PasticheError('bad-params', `Unknown style "${name}"${guess ? ` (did you mean ${guess}?)` : ''}. Presets: ${presets.join(', ')}; or give an image file.`);
    }
    if (referenceFile) throw new PasticheError('bad-params', 'Only one style can be an image file; the others must be presets.');
    referenceFile = name;
    return { source: 'layer', weight };
  });
  // Read once every --style is known good, not while checking them.
  const reference: RgbaImage | undefined = referenceFile === undefined ? undefined : await io.readImage(referenceFile);
  return { params: { styles }, reference };
}

// Texture fill: new texture of the same kind as a sample (not a stretched or repeated copy), made by matching CNN
// feature statistics from noise (neural, Gatys et al. 2015) or by stitching sample patches (image quilting).
//   fill:     the selected shape (the job's source) is filled with texture from the sample (a bundled one, or the
//             other selected layer: the job's reference), as a new layer above it, in its shape;
//   seamless: the selected layer is the sample, made tileable (its edges wrap);
//   extend:   the selected layer is the sample, extended to a larger image of the same texture (W×H).
import * as v from 'valibot';
import { PasticheError } from '../errors';
import { booleanParam, choiceParam, numberParam, paramsSchema, previewEveryParam, seedParam } from '../params';
import { defineTechnique, type ResultLayout, type RunFacts } from '../technique-spec';

/** The bundled texture samples (the "textures" images of models/manifest.json). */
export const TEXTURE_PRESETS = ['brick', 'grass', 'gravel'] as const;

const textureParams = paramsSchema({
  make: choiceParam({
    label: 'Make',
    help: 'fill the selected shape, make the sample seamless, or extend it to a larger image',
    options: [
      { value: 'fill', label: 'Fill shape' },
      { value: 'seamless', label: 'Seamless' },
      { value: 'extend', label: 'Extend' },
    ],
    default: 'fill',
    cli: false,
  }),
  sample: v.optional(
    v.pipe(
      v.picklist(['layer', ...TEXTURE_PRESETS], (issue) => `Unknown texture "${String(issue.input)}" (bundled: ${TEXTURE_PRESETS.join(', ')}; or "layer").`),
      v.metadata({ param: { kind: 'choice', label: 'Sample', help: 'a bundled texture, or the other selected layer', cli: false, options: [...TEXTURE_PRESETS.map((id) => ({ value: id, label: id })), { value: 'layer', label: 'Layer' }] } }),
    ),
    'brick',
  ),
  method: choiceParam({
    label: 'Method',
    help: 'detailed = neural (VGG19 feature statistics); quick = stitched patches of the sample',
    options: [
      { value: 'neural', label: 'Detailed' },
      { value: 'patch', label: 'Quick' },
    ],
    default: 'neural',
  }),
  scale: numberParam({ label: 'Texture scale', help: 'how big the texture looks: 1 = as in the sample, 2 = twice as coarse', min: 0.25, max: 4, default: 1, step: 0.05 }),
  resolution: numberParam({ label: 'Resolution', help: 'pixels per point of the filled shape (1x or 2x)', min: 1, max: 2, default: 1, integer: true, unit: '×' }),
  seamless: booleanParam({ label: 'Seamless edges', help: 'an extended texture whose edges wrap (tiles without a seam)', default: false }),
  tile: booleanParam({ label: 'Seamless tile', help: 'fill with a repeating seamless tile (any size, no seam) instead of one large image', default: false }),
  tileSize: numberParam({ label: 'Tile size', help: 'side of the repeating tile', min: 64, max: 1024, default: 256, integer: true, unit: 'px', advanced: true, cli: 'tile-size' }),
  width: numberParam({ label: 'Width', help: 'width of an extended texture', min: 16, max: 4096, default: 1024, integer: true, unit: 'px', control: 'field', cli: false }),
  height: numberParam({ label: 'Height', help: 'height of an extended texture', min: 16, max: 4096, default: 1024, integer: true, unit: 'px', control: 'field', cli: false }),
  steps: numberParam({ label: 'Steps', help: 'optimisation steps of the first (coarsest) stage of the neural method', min: 1, max: 500, default: 40, integer: true, control: 'field', advanced: true }),
  loss: choiceParam({
    label: 'Statistics',
    help: 'Gram matrices (Gatys) or sliced Wasserstein (feature histograms)',
    options: [
      { value: 'gram', label: 'Gram' },
      { value: 'swd', label: 'Sliced Wasserstein' },
    ],
    default: 'gram',
    advanced: true,
  }),
  seed: seedParam('same seed, same texture'),
  previewEvery: previewEveryParam(5),
});
export type TextureParams = v.InferOutput<typeof textureParams>;

/** Longest side of a fill made as one image; larger shapes are filled with a seamless tile (fill-plan.ts). */
export const MAX_FILL_SIDE = 2048;

export const textureSpec = defineTechnique({
  id: 'texture',
  label: 'Texture',
  summary: 'texture of the same kind as a sample: fill a shape, make it seamless, or extend it',
  panel: 'texture',
  maxInputSide: 4096,
  params: textureParams,
  reference: { role: 'sample', maxSide: 1024, wanted: (p) => p.make === 'fill' && p.sample === 'layer' },
  layout: (p): ResultLayout =>
    p.make !== 'fill' ? { kind: 'image' } : p.tile ? { kind: 'fill-source', scaleMode: 'TILE', pixelsPerUnit: p.resolution } : { kind: 'fill-source', scaleMode: 'FILL' },
  describe: (p: TextureParams, run: RunFacts = {}) =>
    [
      p.make !== 'fill' ? '' : p.sample === 'layer' ? (run.referenceName ? `sample ${run.referenceName}` : 'layer sample') : p.sample,
      p.make === 'fill' ? (p.tile ? `${p.tileSize} px tile` : '') : p.make === 'extend' ? `${p.width}×${p.height}${p.seamless ? ' seamless' : ''}` : 'seamless',
      p.method === 'patch' ? 'quick' : run.stepsRun !== undefined ? `${run.stepsRun} steps` : '',
      p.scale !== 1 ? `scale ${p.scale}` : '',
      p.resolution !== 1 ? `${p.resolution}x` : '',
      // e.g. "stretched from 2048×1365 px": a fill over the direct limit made as one image (fill-plan.ts).
      run.detail ?? '',
    ]
      .filter(Boolean)
      .join(', '),
  resultPixels: (p, width, height) => {
    if (p.make === 'extend') return p.width * p.height;
    if (p.tile || p.make === 'seamless') return p.tileSize * p.tileSize;
    return Math.min(width * height * p.resolution ** 2, MAX_FILL_SIDE ** 2);
  },
  cli: {
    usage: 'SAMPLE -o OUT.png --size WxH [--method neural|patch] [--seamless] [--scale S] [--steps N] [--seed N]',
    options: { size: { type: 'string', description: 'size of the texture, WxH px (default: the sample size, made seamless)', valueName: 'WxH' } },
    adapt: (values) => {
      // On files, the image given is the sample: "extend" it to --size, or (without --size) make it seamless.
      if (values.size === undefined) return { params: { make: 'seamless' as const } };
      const size = /^(\d+)x(\d+)$/i.exec(String(values.size).trim());
      if (!size) throw new PasticheError('bad-params', `--size must be WxH, e.g. 1024x768 (got "${String(values.size)}").`);
      return { params: { make: 'extend' as const, width: Number(size[1]), height: Number(size[2]) } };
    },
  },
  bench: {
    sizes: [256, 512],
    variants: [
      { name: 'texture:neural', params: { make: 'seamless', steps: 4, previewEvery: 0 }, perStep: true },
      // The coarse-to-fine path (stages 256 px, 512 px, ... the size, refined on 256 px tiles) as a shape fill from
      // the bundled brick: two steps a stage give each stage's time per step. "To a fixed quality" rows: bench/.
      { name: 'texture:neural-fill', params: { make: 'fill', sample: 'brick', steps: 2, previewEvery: 0 }, sizes: [1024, 2048], perStep: true },
      { name: 'texture:patch', params: { make: 'seamless', method: 'patch' }, sizes: [512, 1024, 2048] },
    ],
  },
});

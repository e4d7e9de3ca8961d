// Reconstruct from a layer (feature inversion, Mahendran & Vedaldi 2015): the image whose features at one layer
// match the source's, from noise; the sweep does it for each offered layer, shallow to deep, side by side.
import type * as v from 'valibot';
import { booleanParam, choiceParam, numberParam, optimizerParam, paramsSchema, previewEveryParam, seedParam, textParam } from '../params';
import { defineTechnique, type RunFacts } from '../technique-spec';
import { EXPLORE_MODEL_OPTIONS } from './models';

const reconstructParams = paramsSchema({
  model: choiceParam({ label: 'Network', help: 'the network whose features are inverted', options: EXPLORE_MODEL_OPTIONS, default: 'vgg19' }),
  layer: textParam({
    label: 'Layer',
    help: 'VGG19: relu1_2, relu2_2, relu3_2, relu3_4 · MobileNetV2: stem, block_2, block_5, block_12 · Darknet: conv1, conv2, conv4, conv6',
    default: 'relu2_2',
    maxLength: 40,
  }),
  sweep: booleanParam({ label: 'Every layer', help: 'reconstruct from each offered layer, shallow to deep, side by side', default: false }),
  size: numberParam({ label: 'Size', help: 'longest side of the reconstruction', min: 32, max: 512, default: 128, integer: true, unit: 'px' }),
  steps: numberParam({ label: 'Steps', help: 'optimisation steps at up to 128 px, then a quarter as many at each finer size (each stops earlier when it stops improving)', min: 1, max: 1000, default: 100, integer: true, control: 'field' }),
  tvWeight: numberParam({ label: 'Smoothness', help: 'total-variation weight: higher = smoother, less noise', min: 0, max: 10, default: 0.5, step: 0.05, cli: 'tv' }),
  naturalRange: booleanParam({ label: 'Keep pixels in range', help: 'penalise pixel values outside the displayable range', default: true, advanced: true, cli: 'range' }),
  optimizer: optimizerParam(),
  seed: seedParam('the noise the reconstruction starts from', 1),
  previewEvery: previewEveryParam(10),
});
export type ReconstructParams = v.InferOutput<typeof reconstructParams>;

export const reconstructSpec = defineTechnique({
  id: 'reconstruct',
  label: 'Reconstruct',
  summary: 'the image a network layer keeps: feature inversion from noise',
  panel: 'explore',
  menuOrder: 1,
  maxInputSide: 1024,
  params: reconstructParams,
  describe: (p: ReconstructParams, run: RunFacts = {}) =>
    [
      p.sweep ? `${p.model} every layer` : `${p.model} ${p.layer}`,
      run.stepsRun !== undefined ? `${run.stepsRun} steps` : '',
      p.tvWeight !== 0.5 ? `smoothness ${p.tvWeight}` : '',
    ]
      .filter(Boolean)
      .join(', '),
  resultPixels: (p) => (p.sweep ? 4 : 1) * p.size * p.size,
  // The sweep: one reconstruction per layer, labelled, in a row (the lecture's figure on the designer's image).
  layout: (p) => (p.sweep ? { kind: 'labelled-row' } : { kind: 'image' }),
  cli: { usage: 'IMAGE -o OUT.png --model vgg19|mobilenet|darknet --layer NAME [--steps N] [--tv F] [--sweep]' },
  // Per-step rows for every layer of each network's sweep (sweep-layers.ts) at 256 px; VGG19's rows keep the short
  // name (e.g. "reconstruct:relu3_2"), the others name their network ("reconstruct:mobilenet:block_5").
  bench: {
    sizes: [256],
    // (concat, not flatMap: the sandbox's ES2017 library reads this file too)
    variants: ([] as { name: string; params: Record<string, unknown>; perStep: boolean }[]).concat(
      ...(
        [
          ['vgg19', ['relu1_2', 'relu2_2', 'relu3_2', 'relu3_4']],
          ['mobilenet', ['stem', 'block_2', 'block_5', 'block_12']],
          ['darknet', ['conv1', 'conv2', 'conv4', 'conv6']],
        ] as const
      ).map(([model, layers]) =>
        layers.map((layer: string) => ({
          name: model === 'vgg19' ? `reconstruct:${layer}` : `reconstruct:${model}:${layer}`,
          params: { model, layer, size: 256, steps: 4, previewEvery: 0 },
          perStep: true,
        })),
      ),
    ),
  },
});

// DeepDream: amplify what a network sees in a layer (the lecture's gradient ascent with jitter, normalised steps,
// clipping and octaves), or visualise a channel or an ImageNet class from noise.
import { percent } from '../format';
import { booleanParam, choiceParam, groupParam, numberParam, paramsSchema, previewEveryParam, seedParam, textParam } from '../params';
import { defineTechnique, type RunFacts } from '../technique-spec';
import { dreamLayerParam, dreamModelParam } from './layers';
import type * as v from 'valibot';

/** Where a network's name in the panel and the CLI maps to the loaded network. */
export const DREAM_MODELS = { mobilenet: 'mobilenet_v2', darknet: 'darknet_tiny' } as const;

const dreamParams = paramsSchema({
  model: dreamModelParam('the network that dreams'),
  layer: dreamLayerParam(),
  objective: choiceParam({
    label: 'Amplify',
    help: 'the whole layer, one channel of it, or an ImageNet class',
    options: [
      { value: 'layer', label: 'Layer' },
      { value: 'channel', label: 'Channel' },
      { value: 'class', label: 'Class' },
    ],
    default: 'layer',
    cli: false,
  }),
  channel: numberParam({ label: 'Channel', help: 'the channel to amplify (sets Amplify to Channel)', min: 0, max: 4095, default: 0, integer: true, control: 'field' }),
  className: textParam({ label: 'Class', help: 'an ImageNet label or index (sets Amplify to Class)', default: '', maxLength: 80, cli: 'class' }),
  start: choiceParam({
    label: 'Start from',
    help: 'the element itself, or noise (a picture of what the layer, channel or class looks for)',
    options: [
      { value: 'image', label: 'Element' },
      { value: 'noise', label: 'Noise' },
    ],
    default: 'image',
  }),
  stepsPerOctave: numberParam({ label: 'Steps', help: 'gradient steps per octave', min: 1, max: 100, default: 10, integer: true, cli: 'steps' }),
  octaves: numberParam({ label: 'Octaves', help: 'scales dreamed at, smallest first', min: 1, max: 10, default: 4, integer: true }),
  octaveScale: numberParam({ label: 'Octave scale', help: 'size ratio between octaves', min: 1.05, max: 3, default: 1.4, step: 0.05, advanced: true }),
  stepSize: numberParam({ label: 'Intensity', help: 'how far each step moves the pixels (normalised step size)', min: 0.002, max: 0.1, default: 0.012, step: 0.002 }),
  jitter: numberParam({ label: 'Jitter', help: 'largest random shift per step', min: 0, max: 256, default: 32, integer: true, unit: 'px', advanced: true }),
  detailStrength: numberParam({ label: 'Detail carried', help: 'how much detail each octave passes to the next', min: 0, max: 2, default: 1, step: 0.05, advanced: true, percent: true, cli: 'detail' }),
  seed: seedParam('same seed, same dream'),
  maskToAlpha: booleanParam({ label: 'Only inside the shape', help: "dream only where the element is opaque (its alpha)", default: true, cli: 'mask' }),
  size: numberParam({ label: 'Output size', help: "longest side of the result in px (0 = the layer's own size)", min: 0, max: 4096, default: 0, integer: true, unit: 'px' }),
  noise: groupParam(
    {
      noiseSteps: numberParam({ label: 'Noise steps', help: 'optimisation steps when starting from noise', min: 1, max: 5000, default: 256, integer: true, advanced: true }),
      noiseSize: numberParam({ label: 'Noise size', help: 'side of the picture made from noise', min: 32, max: 512, default: 224, integer: true, unit: 'px', advanced: true }),
    },
    { label: 'From noise', help: 'settings of a picture made from noise' },
  ),
  previewEvery: previewEveryParam(5),
});
export type DreamSpecParams = v.InferOutput<typeof dreamParams>;

export const dreamSpec = defineTechnique({
  id: 'dream',
  label: 'Dream',
  summary: 'DeepDream: amplify what a network sees in a layer, a channel or a class',
  panel: 'dream',
  maxInputSide: 4096,
  params: dreamParams,
  describe: describeDream,
  resultPixels: (p, width, height) => {
    if (!p.size) return width * height;
    const long = Math.max(width, height);
    return Math.round((width * p.size) / long) * Math.round((height * p.size) / long);
  },
  cli: {
    usage: 'IMAGE -o OUT.png [--model mobilenet|darknet] [--layer NAME|PRESET] [--channel N] [--class LABEL|INDEX] [options]',
    options: { 'list-layers': { type: 'boolean', description: "print the network's layers (name, channels, stride) and presets, then stop", inspects: true } },
    adapt: (values) => ({
      // --channel and --class choose the objective (the schema's own flags set the numbers).
      params: values.class !== undefined ? { objective: 'class' as const } : values.channel !== undefined ? { objective: 'channel' as const } : {},
    }),
  },
  bench: {
    sizes: [512, 1024, 2048],
    variants: [
      { name: 'dream', params: { octaves: 1, stepsPerOctave: 4, previewEvery: 0 }, perStep: true },
      { name: 'dream:default', params: {}, sizes: [512] },
    ],
  },
});

function describeDream(p: DreamSpecParams, run: RunFacts = {}): string {
  const target = p.objective === 'channel' ? `${p.layer} channel ${p.channel}` : p.objective === 'class' ? `class ${p.className || '?'}` : p.layer;
  const steps = run.stepsRun;
  return [
    p.model === 'darknet' ? `Darknet ${target}` : target,
    p.start === 'noise' ? 'from noise' : '',
    p.octaves !== 4 ? `${p.octaves} octaves` : '',
    p.stepsPerOctave !== 10 ? `${p.stepsPerOctave} steps/octave` : '',
    p.stepSize !== 0.012 ? `intensity ${p.stepSize}` : '',
    p.detailStrength !== 1 ? `detail ${percent(p.detailStrength)}` : '',
    p.seed !== 0 ? `seed ${p.seed}` : '',
    steps !== undefined ? `${steps} steps run` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

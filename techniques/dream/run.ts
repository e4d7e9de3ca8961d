// The Dream technique: the spec's parameters -> techniques/dream/dream.ts on the chosen network.
import { PasticheError } from '../errors';
import { withFacts, type JobContext, type Technique } from '../job';
import { findClasses } from './classes';
import { DREAM_DEFAULTS, dream } from './dream';
import { tileSideFor } from '../memory';
import { dreamNetwork } from './network';
import { DREAM_MODELS, type DreamSpecParams } from './spec';
import type { DreamObjective } from './objective';

async function networkOf(model: DreamSpecParams['model'], context: JobContext) {
  return dreamNetwork(await context.networks.get(DREAM_MODELS[model]));
}

export const run: Technique<DreamSpecParams> = async ({ source }, p, context) => {
  const net = await networkOf(p.model, context);
  let objective: DreamObjective = { kind: 'layer' };
  if (p.objective === 'channel') objective = { kind: 'channel', channel: p.channel };
  if (p.objective === 'class') {
    const [match] = findClasses(net.labels, p.className, 1);
    if (!match) throw new PasticheError('bad-params', `No ImageNet class matches "${p.className}" (try a name such as "goldfish", or an index).`);
    objective = { kind: 'class', classIndex: match.index };
  }
  const result = await dream(
    net,
    source,
    {
      layer: p.layer,
      objective,
      start: p.start,
      octaves: p.octaves,
      octaveScale: p.octaveScale,
      stepsPerOctave: p.stepsPerOctave,
      stepSize: p.stepSize,
      jitter: p.jitter,
      detailStrength: p.detailStrength,
      seed: p.seed,
      maskToAlpha: p.maskToAlpha,
      noiseSteps: p.noise.noiseSteps,
      noiseSize: p.noise.noiseSize,
      previewEvery: p.previewEvery,
      maxPassSize: tileSideFor(DREAM_DEFAULTS.maxPassSize, context.tileScale),
      ...(p.size ? { size: p.size } : {}),
    },
    context,
  );
  return withFacts(result.image, { stepsRun: result.stepsRun });
};

/** `pastiche dream --list-layers`: the network's layers, shallow to deep, and the presets. */
export async function inspect(values: Record<string, unknown>, p: DreamSpecParams, context: JobContext): Promise<string[] | null> {
  if (values['list-layers'] !== true) return null;
  const net = await networkOf(p.model, context);
  return [
    ...net.layers.map((layer) => `${layer.name}\t${layer.channels} channels\tstride ${layer.stride}`),
    ...net.presets.map((preset) => `preset ${preset.name}\t${preset.layer}`),
  ];
}

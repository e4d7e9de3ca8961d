// The Reconstruct technique: one layer's inversion, or the sweep laid out left to right (shallow to deep).
import type { Networks } from '../../models/registry';
import { PasticheError } from '../errors';
import { imageGrid } from '../image-grid';
import { withFacts, type Technique } from '../job';
import { darknetTinyFeatureNetwork, mobileNetV2FeatureNetwork, vgg19FeatureNetwork, type FeatureNetwork } from './feature-network';
import { INVERSION_STAGES, invertFeatures, type InversionParams } from './invert';
import type { ExploreModel } from './models';
import type { ReconstructParams } from './spec';
import { invertSweep } from './sweep';

export async function featureNetworkOf(model: ExploreModel, networks: Networks): Promise<FeatureNetwork> {
  switch (model) {
    case 'vgg19':
      return vgg19FeatureNetwork(await networks.get('vgg19'));
    case 'mobilenet':
      return mobileNetV2FeatureNetwork(await networks.get('mobilenet_v2'));
    case 'darknet':
      return darknetTinyFeatureNetwork(await networks.get('darknet_tiny'));
  }
}

export const run: Technique<ReconstructParams> = async ({ source }, p, context) => {
  const network = await featureNetworkOf(p.model, context.networks);
  const params: Omit<InversionParams, 'layer'> = {
    size: p.size,
    steps: p.steps,
    optimizer: p.optimizer,
    tvWeight: p.tvWeight,
    rangeWeight: p.naturalRange ? 1 : 0,
    seed: p.seed,
    noise: 0.2,
    previewEvery: p.previewEvery,
    earlyStop: { patience: 10, minRelativeImprovement: 1e-3 },
    stages: INVERSION_STAGES,
  };
  if (!p.sweep) {
    if (!network.layers.includes(p.layer)) throw new PasticheError('bad-params', `${p.model} offers the layers ${network.layers.join(', ')} (got "${p.layer}").`);
    const result = await invertFeatures(network, source, { ...params, layer: p.layer }, context);
    return withFacts(result.image, { stepsRun: result.stepsRun });
  }
  const results = await invertSweep(network, source, params, context);
  // Side by side without gaps: each cell becomes its own labelled image in Figma (layout 'labelled-row').
  return withFacts(imageGrid(results.map((r) => r.image), results.length, 0), {
    stepsRun: results.reduce((sum, r) => sum + r.stepsRun, 0),
    cells: results.map((r) => r.layer),
  });
};

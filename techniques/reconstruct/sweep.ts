// The layer sweep: invert the same source at each offered layer, shallow → deep, in one job with one progress bar,
// so a designer sees what each depth keeps (colour and texture first, then only arrangement and parts).
// Every inversion starts from the same seeded noise; "stop and keep" ends the current layer and the sweep.
import { throwIfAborted } from '../errors';
import type { RgbaImage } from '../image';
import type { JobContext } from '../job';
import type { FeatureNetwork } from './feature-network';
import { invertFeatures, type InversionParams, type InversionResult } from './invert';

export interface SweepParams extends Omit<InversionParams, 'layer'> {
  /** The layers to invert, in order; defaults to all the network's offered layers. */
  layers?: readonly string[];
}

/** One result per layer, in sweep order (fewer when the designer stopped early). */
export async function invertSweep(network: FeatureNetwork, source: RgbaImage, params: Partial<SweepParams>, context: JobContext): Promise<InversionResult[]> {
  const { layers = network.layers, ...inversion } = params;
  const results: InversionResult[] = [];
  for (const [i, layer] of layers.entries()) {
    throwIfAborted(context.signal);
    if (context.finishEarly?.aborted && results.length > 0) break;
    results.push(
      await invertFeatures(network, source, { ...inversion, layer }, context, {
        progressRange: [i / layers.length, (i + 1) / layers.length],
        label: `${layer} (${i + 1} of ${layers.length})`,
      }),
    );
    if (context.finishEarly?.aborted) break;
  }
  return results;
}

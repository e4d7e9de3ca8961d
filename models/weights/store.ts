// Where converted weights come from at run time: the cache folder in Node (tests, CLI, benchmarks) or bytes
// inlined into the UI bundle in Figma. Both hand back the same ConvertedWeights.
import type { ConvertedWeights, NetworkName } from './format';

export interface WeightStore {
  load(name: NetworkName): Promise<ConvertedWeights>;
}

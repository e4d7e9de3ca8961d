// The texture rows the spec's bench plan cannot express (it only names parameter sets): the neural method run to
// a fixed quality (bench/page/texture-quality.ts) on the brick sample, at the sizes made in one or two stages.
import type { CaseSpec } from './page/protocol';

/**
 * Gram distances to reach, as multiples of the sample's halves floor: the texture tests' bar (3x, the row's
 * figure), then closer (1.5x), to see how much longer the last stretch takes.
 */
export const QUALITY_FLOOR_FACTORS = [3, 1.5];
const QUALITY_SIZES = [256, 512];
/** Steps of the first stage at most (a 512 px run adds a refining stage of half as many). */
const QUALITY_MAX_STEPS = 60;

export function textureQualityCases(pick: (sizes: readonly number[]) => number[]): Array<{ name: string; size: number; spec: CaseSpec }> {
  return pick(QUALITY_SIZES).map((size) => ({
    name: 'texture:neural-quality',
    size,
    spec: { kind: 'texture-quality' as const, size, sample: 'brick', maxSteps: QUALITY_MAX_STEPS, floorFactors: QUALITY_FLOOR_FACTORS },
  }));
}

// The style rows the spec's bench plan cannot express (it only names parameter sets): the default Gatys job timed to
// its end with its result's Gram ratio (bench/page/style-quality.ts), on the style tests' pair, chelsea and The
// Starry Night.
import type { CaseSpec } from './page/protocol';

/** The Gram ratio the style tests ask for (test/unit/style-gatys.test.ts) and issue #13 times. */
export const QUALITY_RATIO = 0.25;
const QUALITY_SIZES = [256, 512];

export function styleQualityCases(pick: (sizes: readonly number[]) => number[]): Array<{ name: string; size: number; spec: CaseSpec }> {
  return pick(QUALITY_SIZES).map((size) => ({
    name: 'style:gatys-quality',
    size,
    spec: { kind: 'style-quality' as const, size, content: 'chelsea', style: 'starry_night', ratio: QUALITY_RATIO },
  }));
}

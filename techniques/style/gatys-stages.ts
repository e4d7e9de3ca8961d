// Coarse to fine for the Gatys path: the working size halved until its longest side is at most `coarsestSide`,
// most steps run there (a step costs ~pixels, so 4x less per halving), each finer stage starting from the coarser
// result enlarged and refining it in fewer steps. The numbers and their measurements: GATYS_STAGES in gatys.ts.
import { MIN_PYRAMID_SIDE } from './pyramid';

export interface GatysStage {
  width: number;
  height: number;
  /** Steps planned for this stage (early stopping may run fewer). */
  steps: number;
}

export interface StagePlanOptions {
  /** Longest side of the first stage, at most. */
  coarsestSide: number;
  /** Each finer stage gets this fraction of the previous stage's steps... */
  refineFraction: number;
  /** ...but at least this many (or `steps` when fewer). */
  minRefineSteps: number;
}

/** A coarser stage is added only while its shorter side keeps at least this (relu3_x then has 8 positions a side). */
export const MIN_STAGE_SIDE = MIN_PYRAMID_SIDE;

/** Stages coarse first; a single stage (the working size, `steps` steps) when the image is small. */
export function planGatysStages(width: number, height: number, steps: number, options: StagePlanOptions): GatysStage[] {
  const sizes = [{ width, height }];
  for (;;) {
    const last = sizes[sizes.length - 1];
    if (Math.max(last.width, last.height) <= options.coarsestSide) break;
    const next = { width: Math.round(last.width / 2), height: Math.round(last.height / 2) };
    if (Math.min(next.width, next.height) < MIN_STAGE_SIDE) break;
    sizes.push(next);
  }
  sizes.reverse();
  let planned = steps;
  return sizes.map((size, k) => {
    if (k > 0) planned = Math.max(Math.min(steps, options.minRefineSteps), Math.ceil(planned * options.refineFraction));
    return { ...size, steps: planned };
  });
}

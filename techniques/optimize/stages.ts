// Coarse to fine for the optimisation jobs (issue #13 point 5): the working size halved until its longest side is
// at most `coarsestSide`, most steps run there (a step costs ~pixels, so 4x less per halving), each finer stage
// starting from the coarser result enlarged and refining it in fewer steps. Used by the Gatys path (GATYS_STAGES
// in style/gatys.ts) and feature inversion (INVERSION_STAGES in reconstruct/invert.ts), where the numbers
// and their measurements are.

export interface ImageStage {
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
  /** A coarser stage is added only while its shorter side keeps at least this; MIN_STAGE_SIDE when omitted. */
  minSide?: number;
}

/** The default smallest shorter side of a stage: VGG19's relu3_x then still has 8 positions a side. */
export const MIN_STAGE_SIDE = 32;

/** Stages coarse first; a single stage (the working size, `steps` steps) when the image is small. */
export function planStages(width: number, height: number, steps: number, options: StagePlanOptions): ImageStage[] {
  const minSide = options.minSide ?? MIN_STAGE_SIDE;
  const sizes = [{ width, height }];
  for (;;) {
    const last = sizes[sizes.length - 1];
    if (Math.max(last.width, last.height) <= options.coarsestSide) break;
    const next = { width: Math.round(last.width / 2), height: Math.round(last.height / 2) };
    if (Math.min(next.width, next.height) < minSide) break;
    sizes.push(next);
  }
  sizes.reverse();
  let planned = steps;
  return sizes.map((size, k) => {
    if (k > 0) planned = Math.max(Math.min(steps, options.minRefineSteps), Math.ceil(planned * options.refineFraction));
    return { ...size, steps: planned };
  });
}

// Step timings of an optimisation from its progress messages ("step 4 of 40", or "stage 2 of 3 · step 4 of 20" for
// the coarse-to-fine texture path): each message is stamped when it arrives, and a step's time is the interval
// between two stamps of the same stage (an interval across stages would include the next stage's setup).

export interface StepStamp {
  at: number;
  /** 1 for single-stage optimisations. */
  stage: number;
}

/** A stamp for a progress message that reports a step, else null. */
export function stampOf(message: string | undefined, at: number): StepStamp | null {
  const match = message ? /(?:stage (\d+) of \d+ · )?step \d+/.exec(message) : null;
  return match ? { at, stage: Number(match[1] ?? 1) } : null;
}

/** Median ms per step of each stage that ran at least two steps, by stage number. */
export function msPerStepByStage(stamps: readonly StepStamp[]): Map<number, number> {
  const intervals = new Map<number, number[]>();
  for (let i = 1; i < stamps.length; i++) {
    if (stamps[i].stage !== stamps[i - 1].stage) continue;
    const list = intervals.get(stamps[i].stage) ?? [];
    list.push(stamps[i].at - stamps[i - 1].at);
    intervals.set(stamps[i].stage, list);
  }
  return new Map([...intervals].map(([stage, list]) => [stage, median(list)]));
}

/** Ms per step at the output's own size: the last stage's median (NaN when it ran fewer than two steps). */
export function msPerFinalStep(stamps: readonly StepStamp[]): number {
  if (!stamps.length) return NaN;
  return msPerStepByStage(stamps).get(stamps[stamps.length - 1].stage) ?? NaN;
}

/** The per-stage figures as report extras: stage1MsPerStep, stage2MsPerStep, ... (only for multi-stage runs). */
export function stageExtras(stamps: readonly StepStamp[]): Record<string, number> {
  const byStage = msPerStepByStage(stamps);
  const stages = new Set(stamps.map((s) => s.stage)).size;
  if (stages < 2) return {};
  return Object.fromEntries([...byStage].map(([stage, ms]) => [`stage${stage}MsPerStep`, Math.round(ms)]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

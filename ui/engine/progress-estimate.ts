// A bar that moves during work that reports little (one network pass, a fast style of one tile): between the
// technique's own reports, the engine shows an estimate from how long the same job (technique and settings) took
// per pixel earlier in this session. The estimate never passes ESTIMATE_CAP, never moves the bar backwards, and the
// technique's own reports always win when they are ahead. The first run of a job has no estimate: its bar moves
// only with real reports (and the panel's "working" sheen).

/** The estimate stops here: the last stretch is shown only when the work really ends. */
export const ESTIMATE_CAP = 0.95;
/** Weight of the newest run in the running time-per-pixel average. */
const NEWEST_WEIGHT = 0.5;

export class RunTimes {
  private readonly msPerPixel = new Map<string, number>();

  /** Expected milliseconds for a job of `pixels` with this key; undefined before one has finished. */
  expected(key: string, pixels: number): number | undefined {
    const rate = this.msPerPixel.get(key);
    return rate === undefined ? undefined : rate * Math.max(1, pixels);
  }

  record(key: string, pixels: number, ms: number): void {
    if (!(ms > 0) || !(pixels > 0)) return;
    const rate = ms / pixels;
    const previous = this.msPerPixel.get(key);
    this.msPerPixel.set(key, previous === undefined ? rate : NEWEST_WEIGHT * rate + (1 - NEWEST_WEIGHT) * previous);
  }
}

/** The progress shown for one job: the larger of what the technique reported and the time estimate, never less
 *  than what was shown before. */
export class ShownProgress {
  private shown = 0;
  private message: string | undefined;

  constructor(
    private readonly startedAt: number,
    private readonly expectedMs: number | undefined,
  ) {}

  /** The technique reported `fraction`: what to show now. */
  reported(fraction: number, message: string | undefined): { fraction: number; message?: string } {
    if (message !== undefined) this.message = message;
    this.shown = Math.max(this.shown, Math.min(1, fraction));
    return this.current();
  }

  /** A tick of the clock: what to show now, or null when the estimate does not move the bar by at least 1%. */
  tick(now: number): { fraction: number; message?: string } | null {
    if (this.expectedMs === undefined) return null;
    const estimate = Math.min(ESTIMATE_CAP, (now - this.startedAt) / this.expectedMs);
    if (estimate < this.shown + 0.01) return null;
    this.shown = estimate;
    return this.current();
  }

  private current(): { fraction: number; message?: string } {
    return this.message === undefined ? { fraction: this.shown } : { fraction: this.shown, message: this.message };
  }
}

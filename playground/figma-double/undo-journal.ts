// A simple model of Figma's undo history: every document change records how to revert itself; commitUndo() closes
// the current step; undo() reverts the last step. Enough for a test to check that one undo removes one result.

export class UndoJournal {
  private pending: Array<() => void> = [];
  private readonly steps: Array<Array<() => void>> = [];
  private depth = 0; // > 0 while reverting or while set-up helpers run: those changes are not recorded
  /** How many times commitUndo() was called. */
  commits = 0;

  get recording(): boolean {
    return this.depth === 0;
  }

  record(revert: () => void): void {
    if (this.recording) this.pending.push(revert);
  }

  /** Runs `fn` without recording (document set-up, reverts). */
  untracked<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  commit(): void {
    this.commits++;
    if (this.pending.length) this.steps.push(this.pending);
    this.pending = [];
  }

  /** Changes recorded since the last commit (Figma would fold them into the next undo step). */
  get uncommitted(): number {
    return this.pending.length;
  }

  get undoSteps(): number {
    return this.steps.length + (this.pending.length ? 1 : 0);
  }

  /** Reverts the last step (uncommitted changes first, as Figma does); false when there is nothing to undo. */
  undo(): boolean {
    if (this.pending.length) this.commit();
    const step = this.steps.pop();
    if (!step) return false;
    this.untracked(() => {
      for (let i = step.length - 1; i >= 0; i--) step[i]();
    });
    return true;
  }
}

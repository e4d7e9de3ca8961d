// The sandbox has no DOM, but techniques/errors.ts (shared with the UI) names AbortSignal in throwIfAborted's
// signature. The sandbox never calls it; this structural stand-in only lets the shared file type-check here.
interface AbortSignal {
  readonly aborted: boolean;
}

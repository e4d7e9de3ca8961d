// Typed errors that cross every boundary (engine -> UI -> sandbox, CLI). No TF.js here: the sandbox imports it.

export type PasticheErrorCode =
  | 'no-selection' // nothing (usable) is selected
  | 'bad-selection' // selection cannot be used for this technique (wrong count, empty, hidden ...)
  | 'bad-input' // an image that cannot be decoded, a size of zero, an unknown preset ...
  | 'bad-params' // parameters out of range
  | 'too-large' // beyond a size limit that we cannot tile around
  | 'cancelled' // the user cancelled
  | 'model-unavailable' // weights missing or failed to load
  | 'backend' // TF.js backend failure (WebGL context lost, out of memory ...)
  | 'internal';

export interface PasticheErrorData {
  code: PasticheErrorCode;
  message: string;
}

export class PasticheError extends Error {
  readonly code: PasticheErrorCode;
  constructor(code: PasticheErrorCode, message: string) {
    super(message);
    this.name = 'PasticheError';
    this.code = code;
  }
  toData(): PasticheErrorData {
    return { code: this.code, message: this.message };
  }
  static fromData(data: PasticheErrorData): PasticheError {
    return new PasticheError(data.code, data.message);
  }
}

/** Turns anything thrown into the data of a typed error, for a message or a one-line CLI report. */
export function toErrorData(error: unknown): PasticheErrorData {
  if (error instanceof PasticheError) return error.toData();
  if (isAbortError(error)) return { code: 'cancelled', message: 'Cancelled.' };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: message || 'Something went wrong.' };
}

export function isAbortError(error: unknown): boolean {
  return (
    (error instanceof PasticheError && error.code === 'cancelled') ||
    (typeof error === 'object' && error !== null && (error as { name?: string }).name === 'AbortError')
  );
}

/** Throws a typed 'cancelled' error when the job's signal has fired. Call it between steps. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new PasticheError('cancelled', 'Cancelled.');
}

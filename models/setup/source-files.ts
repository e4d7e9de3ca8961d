// Obtaining verified source bytes: from a mirror folder when it has the file, else from the upstream URL.
// Every byte that reaches a converter has passed the size and sha256 check here.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SetupError } from './errors';
import type { SourceEntry } from './manifest';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface SourceOptions {
  /** Mirror folder holding the files at their manifest paths, or null when there is none. */
  mirrorDir: string | null;
  /** Whether to fall back to the upstream URL when the mirror lacks a file. */
  allowDownload: boolean;
  /** Label for messages: 'model file' or 'image'. */
  kind: string;
}

const DOWNLOAD_TIMEOUT_MS = 120_000;

/** Returns the verified bytes of `entry`, or throws a one-line SetupError. */
export async function obtainVerified(entry: SourceEntry, options: SourceOptions): Promise<Uint8Array> {
  const expected = `expected sha256 ${entry.sha256}, ${entry.size} bytes`;
  const mirrorPath = options.mirrorDir ? path.join(options.mirrorDir, entry.path) : null;
  if (mirrorPath && existsSync(mirrorPath)) {
    // A mirror copy that exists but is wrong is an error, not a reason to download: someone must fix the mirror.
    const bytes = new Uint8Array(readFileSync(mirrorPath));
    const problem = checkBytes(bytes, entry);
    if (problem) throw new SetupError(`setup: wrong ${options.kind} ${entry.path} at ${mirrorPath}: ${problem} (${expected})`);
    return bytes;
  }
  const looked = mirrorPath ? `not in ${mirrorPath}` : 'no mirror folder (set PASTICHE_MODELS_DIR / PASTICHE_IMAGES_DIR)';
  if (!options.allowDownload) {
    throw new SetupError(`setup: missing ${options.kind} ${entry.path} (${expected}): ${looked}; download disabled`);
  }
  let bytes: Uint8Array;
  try {
    const response = await fetch(entry.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    const reason = error instanceof Error ? oneLine(error.message) : String(error);
    throw new SetupError(`setup: missing ${options.kind} ${entry.path} (${expected}): ${looked}; download ${entry.url} failed: ${reason}`);
  }
  const problem = checkBytes(bytes, entry);
  if (problem) throw new SetupError(`setup: wrong ${options.kind} ${entry.path} downloaded from ${entry.url}: ${problem} (${expected})`);
  return bytes;
}

/** Null when the bytes are the expected file, else what is wrong with them. */
function checkBytes(bytes: Uint8Array, entry: SourceEntry): string | null {
  if (bytes.byteLength !== entry.size) return `size ${bytes.byteLength}`;
  const actual = sha256Hex(bytes);
  return actual === entry.sha256 ? null : `sha256 ${actual}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

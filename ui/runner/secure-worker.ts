// Starts the engine's worker so that it is a secure context, as WebGPU requires (navigator.gpu exists nowhere else),
// and so that the window's thread does no work on the engine's code (24 MB of text).
// The plugin's iframe has an opaque origin (Figma's, and the playground's sandboxed srcdoc frame), and a worker made
// from one of its blob: URLs (blob:null/…) is not a secure context: measured in Chromium 156, no navigator.gpu there,
// while the iframe itself has it. A worker from a data: URL is a secure context, but the engine (megabytes) cannot be
// a data: URL (Chromium caps URLs at 2 MB): so a tiny bootstrap worker receives the engine's code as a string, makes
// a Blob and a blob: URL of it on its own thread (0.3 s for 24 MB, no longer on the window's) and runs it with
// importScripts. Where the origin is a real one, its blob: workers are secure already: the bootstrap is a blob: URL.
// The engine's Blob is let go once it has run (importScripts returns after running it): every worker started, a
// replacement after a crash included, makes its own, and an unrevoked blob: URL would keep its 24 MB for the session.
const BOOTSTRAP = `self.onmessage = (event) => {
  self.onmessage = null;
  const url = URL.createObjectURL(new Blob([event.data], { type: 'text/javascript' }));
  try {
    importScripts(url);
  } finally {
    URL.revokeObjectURL(url);
  }
};`;

/** The bootstrap as a blob: URL, made once for the page (a few hundred bytes). */
let bootstrapUrl: string | undefined;

/** A worker running the engine's code (`source`); throws where workers cannot start. The engine's own messages may
 *  be posted at once: they queue behind the code. */
export function startSecureWorker(source: string): Worker {
  const worker = bootstrapWorker();
  worker.postMessage(source);
  return worker;
}

function bootstrapWorker(): Worker {
  const blobBootstrap = () => new Worker((bootstrapUrl ??= URL.createObjectURL(new Blob([BOOTSTRAP], { type: 'text/javascript' }))));
  if (self.origin !== 'null') return blobBootstrap();
  try {
    return new Worker(`data:text/javascript,${encodeURIComponent(BOOTSTRAP)}`);
  } catch {
    // A policy that refuses data: workers: the blob: worker still computes, without WebGPU.
    return blobBootstrap();
  }
}

// Starts the engine's worker so that it is a secure context, as WebGPU requires (navigator.gpu exists nowhere else).
// The plugin's iframe has an opaque origin (Figma's, and the playground's sandboxed srcdoc frame), and a worker made
// from one of its blob: URLs (blob:null/…) is not a secure context: measured in Chromium 156, no navigator.gpu there,
// while the iframe itself has it. A worker from a data: URL is a secure context, but the engine (megabytes) cannot be
// a data: URL (Chromium caps URLs at 2 MB): so a tiny data: worker receives the engine's code as a Blob (passed by
// reference, not copied), makes its own blob: URL of it and runs it with importScripts. Where the origin is a real
// one, its blob: workers are secure already and are used as before.
const BOOTSTRAP = `self.onmessage = (event) => {
  self.onmessage = null;
  importScripts(URL.createObjectURL(event.data));
};`;

/** A worker running the engine's code (`code`, also at `url`); throws where workers cannot start. The engine's own
 *  messages may be posted at once: they queue behind the code. */
export function startSecureWorker(code: Blob, url: string): Worker {
  if (self.origin !== 'null') return new Worker(url);
  try {
    const worker = new Worker(`data:text/javascript,${encodeURIComponent(BOOTSTRAP)}`);
    worker.postMessage(code);
    return worker;
  } catch {
    // A policy that refuses data: workers: the blob: worker still computes, without WebGPU.
    return new Worker(url);
  }
}

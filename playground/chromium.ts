// Finds and launches headless Chromium on the playground, for the browser tests and the bench (both import it from
// here): Debian's chromium (or any Chrome) driven by playwright-core, never a browser download. The flags are the
// ones the shared toolchain notes measured to give WebGL2 on SwiftShader, and, when asked for, WebGPU.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const USUAL_PATHS = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export class NoBrowserError extends Error {}

export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new NoBrowserError(`CHROME_PATH is ${fromEnv}, which does not exist.`);
  }
  const found = USUAL_PATHS.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new NoBrowserError('No Chromium or Chrome found: install one (Debian: apt-get install -y chromium) or set CHROME_PATH.');
  }
  return found;
}

/**
 * WebGPU in headless Debian Chromium 156 on a machine without a GPU, measured (2026-12, on http://127.0.0.1, a secure
 * origin: WebGPU exists on none other):
 *  - no flag: navigator.gpu exists but requestAdapter() gives null (TF.js: "No available adapters");
 *  - --enable-unsafe-webgpu alone already gives SwiftShader's adapter (info: vendor "google", architecture
 *    "swiftshader", device and description empty, isFallbackAdapter true); --use-webgpu-adapter=swiftshader names it
 *    explicitly (the same adapter);
 *  - but then TF.js's synchronous reads (dataSync, which reads through a WebGPU canvas drawn into a 2D one) return
 *    zeros and break the device: every later read fails with "A valid external Instance reference no longer exists".
 *    --enable-features=Vulkan alone changes nothing; with --use-vulkan=swiftshader too, the compositor runs on
 *    SwiftShader's Vulkan, the canvas path works and the values are right (slowly: ~2 s a synchronous read here);
 *  - WebGPU is there in pages, in workers and in the plugin's sandboxed srcdoc iframe, not in a blob: worker made by
 *    that iframe (ui/runner/secure-worker.ts);
 *  - a first 3x3 conv at 128 px (pipeline compiles) ~1.2-1.6 s, the next ~0.2-0.4 s: as slow as SwiftShader's WebGL.
 * Off by default: the existing tests exercise WebGL (what users without WebGPU get), where "GPU" would otherwise mean
 * WebGPU, on the compositor they were measured with.
 */
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan', '--use-vulkan=swiftshader'];

export async function launchChromium(options: { webgpu?: boolean } = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'pastiche-chromium-'));
  return chromium.launch({
    executablePath: findChromium(),
    ignoreDefaultArgs: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--ignore-gpu-blocklist',
      `--user-data-dir=${userDataDir}`,
      '--remote-debugging-pipe',
      '--no-startup-window',
      ...(options.webgpu ? WEBGPU_FLAGS : []),
    ],
  });
}

// Finds and launches headless Chromium on the playground, for the browser tests and the bench (both import it from
// here): Debian's chromium (or any Chrome) driven by playwright-core, never a browser download. The flags are the
// ones the shared toolchain notes measured to give WebGL2 on SwiftShader.
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

export async function launchChromium(): Promise<Browser> {
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
    ],
  });
}

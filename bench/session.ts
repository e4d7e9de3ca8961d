// Node side of the bench page: serves it (with the WASM files and the original .tflite files), opens it in
// headless Chromium on a chosen TF.js backend (WebGPU too when the session is opened with it) and calls its API. Shared by bench/run.ts and the parity test.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startPlaygroundServer, type PlaygroundServer } from '../playground/server';
import { launchChromium } from '../playground/chromium';
import type { BenchPageApi } from './page/entry';
import type { Backend, PageInfo } from './page/protocol';

const root = path.resolve(__dirname, '..');

/** The verified .tflite files, as the setup step keeps them in the git-ignored cache. */
export function modelSourcesDir(): string {
  const dir = path.join(process.env.PASTICHE_CACHE_DIR ?? path.join(root, '.cache'), 'sources');
  if (!existsSync(dir)) throw new Error(`No verified model sources in ${dir}: run "npm run models".`);
  return dir;
}

export function benchRoutes(): Array<[string, string]> {
  const modules = path.join(root, 'node_modules', '@tensorflow');
  return [
    ['/node_modules/@tensorflow/tfjs-backend-wasm/dist/', path.join(modules, 'tfjs-backend-wasm', 'dist')],
    ['/node_modules/@tensorflow/tfjs-tflite/wasm/', path.join(modules, 'tfjs-tflite', 'wasm')],
    ['/models/', modelSourcesDir()],
    ['/bench/', path.join(root, 'bench', 'public')],
  ];
}

export function assertBenchPageBuilt(): void {
  if (!existsSync(path.join(root, 'dist', 'bench', 'page.js'))) throw new Error('dist/bench/page.js is missing: run "npm run build".');
}

type Api = BenchPageApi;
type Method = { [K in keyof Api]: Api[K] extends (...args: never[]) => unknown ? K : never }[keyof Api];

/** One browser and server; pages are opened per backend and can be thrown away after a timeout. */
export class BenchSession {
  private constructor(
    private browser: Browser,
    readonly server: PlaygroundServer,
    private readonly launch: () => Promise<Browser>,
  ) {}

  /** `webgpu`: Chromium with its WebGPU adapter (playground/chromium.ts), for pages on 'webgpu'. */
  static async open(options: { webgpu?: boolean } = {}): Promise<BenchSession> {
    assertBenchPageBuilt();
    const server = await startPlaygroundServer(0, benchRoutes());
    const launch = () => launchChromium({ webgpu: options.webgpu ?? false });
    return new BenchSession(await launch(), server, launch);
  }

  /** A fresh page on `backend`: nothing loaded yet, so the first case pays the cold costs. */
  async openPage(backend: Backend): Promise<BenchPage> {
    if (!this.browser.isConnected()) this.browser = await this.launch();
    const page = await this.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${this.server.url}bench/index.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 120_000 });
    const bench = new BenchPage(page, errors);
    bench.info = await bench.call('init', [backend]);
    return bench;
  }

  /**
   * Throws a page away. After a timeout its renderer may be stuck in a kernel, and Chromium puts the next page of
   * the same site into that same process, so the whole browser is replaced then.
   */
  async discard(page: BenchPage, stuck: boolean): Promise<void> {
    const closed = stuck ? false : await Promise.race([page.page.close({ runBeforeUnload: false }).then(() => true), sleep(15_000, false)]);
    if (!closed) {
      await Promise.race([this.browser.close().catch(() => undefined), sleep(15_000, undefined)]);
      this.browser = await this.launch();
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.close();
  }
}

export class BenchPage {
  info: PageInfo = { backend: '?' };
  constructor(
    readonly page: Page,
    readonly errors: string[],
  ) {}

  /** Calls the page's API; rejects with TimeoutError after `timeoutMs` (the page is then unusable). */
  async call<M extends Method>(method: M, args: Parameters<Api[M]>, timeoutMs = 0): Promise<Awaited<ReturnType<Api[M]>>> {
    const evaluation = this.page.evaluate(
      ([name, list]) => (window as unknown as { pastiche_bench: Record<string, (...a: unknown[]) => unknown> }).pastiche_bench[name](...list),
      [method, args] as [string, unknown[]],
    ) as Promise<Awaited<ReturnType<Api[M]>>>;
    if (!timeoutMs) return evaluation;
    evaluation.catch(() => undefined); // it rejects when the page is closed after a timeout
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`${method} exceeded ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([evaluation, timeout]).finally(() => clearTimeout(timer));
  }
}

export class TimeoutError extends Error {}

/** An unref'd timer: a pending one must not keep Node alive once the work is done. */
const sleep = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(resolve, ms, value).unref());

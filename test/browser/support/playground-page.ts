// Opens the playground in Debian Chromium and gives tests the few moves a designer makes: select layers,
// pick a panel, press a button, and read what landed on the canvas.
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { startPlaygroundServer, type PlaygroundServer } from '../../../playground/server';
import { launchChromium } from '../../../playground/chromium';
import type { LayerInfo } from '../../../playground/canvas-view';

export type { LayerInfo } from '../../../playground/canvas-view';

export interface Pixels {
  width: number;
  height: number;
  data: number[];
}

/** Largest |result − (255 − source)| over the RGB channels: 0 for a perfect colour inversion. */
export function worstInversionError(source: Pixels, result: Pixels): number {
  let worst = 0;
  for (let i = 0; i < source.data.length; i += 4) {
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(result.data[i + c] - (255 - source.data[i + c])));
  }
  return worst;
}

export class PlaygroundSession {
  private constructor(
    readonly browser: Browser,
    readonly server: PlaygroundServer,
    readonly page: Page,
    /** Console errors of the page and its frames, for failure messages. */
    readonly errors: string[],
  ) {}

  /** `withoutWorkers`: every frame of the page lacks `Worker`, as in a host that blocks workers, so the engine
   *  has to start in the UI iframe itself. */
  /** `compute`: the plugin opens with "Compute on" set so (automatic by default, as for a user). */
  /** `beforeLoad`: runs on the page before it loads (e.g. an init script). */
  /** `webgpu`: Chromium is started with its WebGPU adapter (SwiftShader here), so "GPU" means WebGPU. */
  static async open(
    options: { withoutWorkers?: boolean; theme?: 'light' | 'dark'; compute?: 'gpu' | 'cpu'; beforeLoad?: (page: Page) => Promise<unknown>; webgpu?: boolean } = {},
  ): Promise<PlaygroundSession> {
    const server = await startPlaygroundServer(0);
    const browser = await launchChromium({ webgpu: options.webgpu ?? false });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    if (options.withoutWorkers) await page.addInitScript(() => Object.defineProperty(window, 'Worker', { value: undefined }));
    await options.beforeLoad?.(page);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const query = new URLSearchParams({ ...(options.theme ? { theme: options.theme } : {}), ...(options.compute ? { compute: options.compute } : {}) }).toString();
    await page.goto(query ? `${server.url}?${query}` : server.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    const session = new PlaygroundSession(browser, server, page, errors);
    await session.ui.getByTestId('engine').filter({ hasText: /Running on|Cannot compute/ }).waitFor({ timeout: 120_000 });
    return session;
  }

  get ui(): FrameLocator {
    return this.page.frameLocator('#plugin iframe');
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }

  layers(): Promise<LayerInfo[]> {
    return this.page.evaluate(() => (window as any).pastiche.layers());
  }

  async select(...names: string[]): Promise<void> {
    await this.page.evaluate((list) => (window as any).pastiche.select(...list), names);
  }

  /** Clicks a layer on the canvas as a user would (shift for adding to the selection). */
  async clickLayer(name: string, shift = false): Promise<void> {
    await this.page.click(`#canvas .layer[data-name="${name}"]`, { modifiers: shift ? ['Shift'] : [] });
  }

  pixels(id: string): Promise<Pixels> {
    return this.page.evaluate((layerId) => (window as any).pastiche.pixels(layerId), id);
  }

  async openPanel(label: string): Promise<void> {
    await this.ui.getByText(label, { exact: true }).first().click();
  }

  /** The layers that appeared since `before`. */
  async newLayers(before: LayerInfo[]): Promise<LayerInfo[]> {
    const known = new Set(before.map((layer) => layer.id));
    return (await this.layers()).filter((layer) => !known.has(layer.id));
  }

  async engineLabel(): Promise<string> {
    return (await this.ui.getByTestId('engine').getAttribute('data-engine')) ?? '';
  }
}

// figma.ui: the channel to the plugin's iframe. Messages are structured-cloned both ways, as postMessage does, so
// a message that would not survive the real channel (a function, a node) fails here too.
import type { PluginToUi, UiToPlugin } from '../../plugin/messages';
import { Emitter } from './events';

export interface UiHooks {
  /** The plugin called figma.showUI: the playground creates the iframe here. */
  mountUi?(html: string, options: ShowUIOptions | undefined): void;
  /** The plugin posted a message: the playground forwards `{ pluginMessage: message }` to the iframe. */
  deliverToUi?(message: PluginToUi): void;
  /** The plugin resized its window (figma.ui.resize): the playground resizes the iframe. */
  resizeUi?(width: number, height: number): void;
}

export class UiDouble {
  onmessage: MessageEventHandler | undefined = undefined;
  /** Every message the plugin posted, in order (clones). */
  readonly sent: PluginToUi[] = [];
  shown = false;
  visible = false;
  closed = false;
  size: { width: number; height: number } = { width: 100, height: 100 };
  private readonly events = new Emitter();

  constructor(private readonly hooks: UiHooks) {}

  /** Called by figma.showUI. */
  open(html: string, options: ShowUIOptions | undefined): void {
    this.shown = true;
    this.visible = options?.visible ?? true;
    this.size = { width: options?.width ?? 100, height: options?.height ?? 100 };
    this.hooks.mountUi?.(html, options);
  }

  postMessage(message: unknown, _options?: UIPostMessageOptions): void {
    if (!this.shown || this.closed) throw new Error('figma.ui.postMessage: the plugin has no UI (call figma.showUI first)');
    const copy = structuredClone(message) as PluginToUi;
    this.sent.push(copy);
    this.hooks.deliverToUi?.(copy);
  }

  on(type: 'message', handler: MessageEventHandler): void {
    this.events.on(type, handler as never);
  }
  once(type: 'message', handler: MessageEventHandler): void {
    this.events.on(type, handler as never, true);
  }
  off(type: 'message', handler: MessageEventHandler): void {
    this.events.off(type, handler as never);
  }

  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  resize(width: number, height: number): void {
    this.size = { width, height };
    this.hooks.resizeUi?.(width, height);
  }
  close(): void {
    this.closed = true;
    this.visible = false;
  }

  /** A new run of the plugin gets a fresh UI channel: no handlers, not shown until showUI. */
  reset(): void {
    this.close();
    this.onmessage = undefined;
    this.events.clear();
    this.shown = false;
    this.closed = false;
  }

  /** A message from the UI (what `parent.postMessage({ pluginMessage }, '*')` does). Resolves when handlers finish. */
  async deliver(message: UiToPlugin): Promise<void> {
    if (!this.shown || this.closed) throw new Error('figma double: the UI is not open');
    const copy = structuredClone(message);
    const props: OnMessageProperties = { origin: 'null' };
    const results: unknown[] = [];
    if (this.onmessage) results.push((this.onmessage as (m: unknown, p: OnMessageProperties) => unknown)(copy, props));
    results.push(...this.events.emit('message', copy, props));
    await Promise.all(results);
  }
}

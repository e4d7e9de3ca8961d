// The `figma` object of the double: the subset of PluginAPI that Pastiche's sandbox uses, with Figma's behaviour
// where it matters (dynamic-page: only async node lookups; createImage limits; selection events; undo steps).
import { Emitter } from './events';
import { ClientStorageDouble } from './client-storage';
import { ImageStore } from './image-store';
import {
  DoubleBaseNode,
  DoubleBooleanOperation,
  DoubleDocument,
  DoubleEllipse,
  DoubleFrame,
  DoubleGroup,
  DoublePage,
  DoublePolygon,
  DoubleRectangle,
  DoubleSceneNode,
  DoubleStar,
  DoubleText,
  type DoubleContainer,
  type DoubleContext,
  type ExportRecord,
} from './nodes';
import type { Rasterizer, RecordedNotification } from './figma-types';
import { UiDouble, type UiHooks } from './ui-double';
import { UndoJournal } from './undo-journal';
import { ViewportDouble } from './viewport';

export interface FigmaDoubleOptions extends UiHooks {
  /** Turns nodes into PNG bytes for exportAsync: createPngjsRasterizer() in Node, createCanvasRasterizer() in a page. */
  rasterizer?: Rasterizer;
  /** figma.command: '' for a normal start, RELAUNCH_COMMAND when started by a relaunch button. */
  command?: string;
  /** Initial figma.clientStorage content. */
  storage?: Record<string, unknown>;
}

export class FigmaDoubleApi {
  readonly apiVersion = '1.0.0';
  readonly editorType = 'figma';
  readonly mixed: symbol = Symbol('figma.mixed');
  private runCommand: string;
  readonly journal = new UndoJournal();
  readonly images = new ImageStore();
  readonly exports: ExportRecord[] = [];
  readonly notifications: RecordedNotification[] = [];
  readonly showUiCalls: Array<{ html: string; options?: ShowUIOptions }> = [];
  readonly clientStorage: ClientStorageDouble;
  readonly ui: UiDouble;
  readonly viewport = new ViewportDouble();
  readonly root: DoubleDocument;
  private readonly events = new Emitter();
  private readonly nodes = new Map<string, DoubleBaseNode>();
  private page: DoublePage;
  private ids = 0;
  readonly ctx: DoubleContext;
  closed = false;

  constructor(options: FigmaDoubleOptions = {}) {
    this.runCommand = options.command ?? '';
    this.clientStorage = new ClientStorageDouble(options.storage);
    this.ui = new UiDouble(options);
    this.ctx = {
      journal: this.journal,
      images: this.images,
      exports: this.exports,
      mixed: this.mixed,
      currentPage: () => this.page,
      rasterizer: options.rasterizer,
      nextId: () => `${Math.floor(this.ids / 1000)}:${++this.ids}`,
      register: (node) => void this.nodes.set(node.id, node),
      nodeRemoved: (node, page) => {
        this.root.children.forEach((p) => p.pruneSelection());
        page?.nodeDeleted(node);
      },
      selectionChanged: (page) => {
        if (page === this.page) this.events.emit('selectionchange');
      },
    };
    this.root = new DoubleDocument(this.ctx, 'Document');
    this.page = this.journal.untracked(() => this.createPage('Page 1'));
  }

  // --- document ---------------------------------------------------------------------------------------------------

  get currentPage(): DoublePage {
    return this.page;
  }
  set currentPage(_page: DoublePage) {
    throw new Error('Setting figma.currentPage is not supported with documentAccess: dynamic-page. Use figma.setCurrentPageAsync');
  }
  async setCurrentPageAsync(page: DoublePage): Promise<void> {
    this.page = page;
    this.events.emit('currentpagechange');
  }

  createPage(name = 'Page'): DoublePage {
    const page = new DoublePage(this.ctx, name);
    this.root.appendChild(page);
    return page;
  }

  async getNodeByIdAsync(id: string): Promise<DoubleBaseNode | null> {
    const node = this.nodes.get(id);
    return node && node.inDocument ? node : null;
  }
  getNodeById(_id: string): never {
    throw new Error('Cannot call figma.getNodeById with documentAccess: dynamic-page. Use figma.getNodeByIdAsync instead.');
  }

  private created<T extends DoubleSceneNode>(node: T): T {
    const page = this.page;
    this.journal.record(() => node.discard(page));
    page.appendChild(node);
    return node;
  }
  createRectangle(): DoubleRectangle {
    return this.created(new DoubleRectangle(this.ctx, 'Rectangle', 100, 100));
  }
  createFrame(): DoubleFrame {
    return this.created(new DoubleFrame(this.ctx, 'Frame', 100, 100));
  }
  createEllipse(): DoubleEllipse {
    return this.created(new DoubleEllipse(this.ctx, 'Ellipse', 100, 100));
  }
  createPolygon(): DoublePolygon {
    return this.created(new DoublePolygon(this.ctx, 'Polygon', 100, 100));
  }
  createStar(): DoubleStar {
    return this.created(new DoubleStar(this.ctx, 'Star', 100, 100));
  }
  createText(): DoubleText {
    return this.created(new DoubleText(this.ctx, 'Text', 0.01, 0.01));
  }
  /** Every font is "available": the double draws with the canvas's default sans-serif. */
  async loadFontAsync(_font: FontName): Promise<void> {}

  group(nodes: ReadonlyArray<DoubleSceneNode>, parent: DoubleContainer, index?: number): DoubleGroup {
    if (nodes.length === 0) throw new Error('figma.group: the first argument must be an array of at least one node');
    if (parent.type === 'DOCUMENT') throw new Error('figma.group: a group cannot be a child of the document');
    return this.combine(new DoubleGroup(this.ctx, 'Group'), nodes, parent, index);
  }

  union(nodes: ReadonlyArray<DoubleSceneNode>, parent: DoubleContainer, index?: number): DoubleBooleanOperation {
    if (nodes.length === 0) throw new Error('figma.union: the first argument must be an array of at least one node');
    if (parent.type === 'DOCUMENT') throw new Error('figma.union: a boolean operation cannot be a child of the document');
    return this.combine(new DoubleBooleanOperation(this.ctx, 'Union'), nodes, parent, index);
  }

  private combine<T extends DoubleGroup | DoubleBooleanOperation>(node: T, children: ReadonlyArray<DoubleSceneNode>, parent: DoubleContainer, index?: number): T {
    if (parent.type === 'DOCUMENT') throw new Error('figma double: not a child of the document');
    const page = parent.type === 'PAGE' ? parent : parent.page;
    this.journal.record(() => node.discard(page));
    if (index === undefined) parent.appendChild(node);
    else parent.insertChild(index, node);
    for (const child of children) node.appendChild(child);
    return node;
  }

  // --- images -----------------------------------------------------------------------------------------------------

  createImage(bytes: Uint8Array): Image {
    return this.images.createImage(bytes);
  }
  getImageByHash(hash: string): Image | null {
    return this.images.getImageByHash(hash);
  }

  // --- plugin lifecycle, UI, notifications, undo --------------------------------------------------------------------

  showUI(html: string, options?: ShowUIOptions): void {
    this.showUiCalls.push({ html, options: options && structuredClone(options) });
    this.ui.open(html, options);
  }

  notify(message: string, options?: NotificationOptions): NotificationHandler {
    this.notifications.push(options ? { message, options } : { message });
    return { cancel: () => undefined };
  }

  commitUndo(): void {
    this.journal.commit();
  }
  triggerUndo(): void {
    this.journal.undo();
  }

  /** figma.command of the current run of the plugin. */
  get command(): string {
    return this.runCommand;
  }

  /**
   * Prepares a new run of the plugin, as Figma does when a relaunch button is clicked: the previous run is closed
   * and forgotten (its handlers, its UI), the document stays, and `figma.command` is the button's command.
   * The caller then runs the sandbox code again against this same object.
   */
  restart(command: string): void {
    if (!this.closed) this.closePlugin();
    this.events.clear();
    this.root.children.forEach((page) => page.clearListeners());
    this.ui.reset();
    this.closed = false;
    this.runCommand = command;
  }

  closePlugin(_message?: string): void {
    this.closed = true;
    this.ui.close();
    this.events.emit('close');
  }

  on(type: string, callback: (...args: never[]) => unknown): void {
    this.events.on(type, callback as never);
  }
  once(type: string, callback: (...args: never[]) => unknown): void {
    this.events.on(type, callback as never, true);
  }
  off(type: string, callback: (...args: never[]) => unknown): void {
    this.events.off(type, callback as never);
  }
  /** Fires a figma event ('run', 'close' ...) as Figma would. */
  emit(type: string, ...args: unknown[]): void {
    this.events.emit(type, ...args);
  }
  listenerCount(type: string): number {
    return this.events.count(type);
  }
}

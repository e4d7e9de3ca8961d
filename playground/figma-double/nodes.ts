// The double's scene graph: document, pages, frames, groups and rectangles with the parts of Figma's node API that
// Pastiche uses. Every change is recorded in the undo journal. Like Figma: x/y are relative to the nearest
// frame-like ancestor (a group has no coordinate space of its own: its bounds follow its children, moving it moves
// them), and an emptied group deletes itself. Simplification: no rotation, so transforms are pure translations.
import type { ImageStore } from './image-store';
import type { Rasterizer, RgbaImage } from './figma-types';
import type { UndoJournal } from './undo-journal';

export interface ExportRecord {
  nodeId: string;
  settings: ExportSettingsImage;
  scale: number;
}

/** What nodes share with the double that made them. */
export interface DoubleContext {
  readonly journal: UndoJournal;
  readonly images: ImageStore;
  readonly exports: ExportRecord[];
  rasterizer?: Rasterizer;
  nextId(): string;
  register(node: DoubleBaseNode): void;
  /** A node left the document: drop it from selections. */
  nodeRemoved(node: DoubleBaseNode): void;
  selectionChanged(page: DoublePage): void;
}

export type DoubleContainer = DoubleDocument | DoublePage | DoubleFrame | DoubleGroup;

function detach(node: DoubleBaseNode): void {
  const parent = node.parent;
  if (!parent) return;
  const i = parent.kids.indexOf(node);
  if (i >= 0) parent.kids.splice(i, 1);
  node.parent = null;
}

function attach(parent: DoubleContainer, node: DoubleBaseNode, index?: number): void {
  detach(node);
  const at = index === undefined || index < 0 ? parent.kids.length : Math.min(index, parent.kids.length);
  parent.kids.splice(at, 0, node);
  node.parent = parent;
}

export abstract class DoubleBaseNode {
  abstract readonly type: 'DOCUMENT' | 'PAGE' | 'FRAME' | 'GROUP' | 'RECTANGLE';
  readonly id: string;
  parent: DoubleContainer | null = null;
  /** Children, for containers (empty for leaves). Use the `children` getter from outside. */
  readonly kids: DoubleBaseNode[] = [];
  private _name: string;
  private _removed = false;
  private readonly pluginData = new Map<string, string>();
  private relaunchData: { [command: string]: string } = {};

  constructor(
    readonly ctx: DoubleContext,
    name: string,
  ) {
    this.id = ctx.nextId();
    this._name = name;
    ctx.register(this);
  }

  /** Sets a field and records how to restore it. */
  protected change<T>(read: () => T, write: (value: T) => void, value: T): void {
    const old = read();
    write(value);
    this.ctx.journal.record(() => write(old));
  }

  protected assertAlive(): void {
    if (this._removed) throw new Error(`The node with id "${this.id}" has been removed`);
  }

  get name(): string {
    return this._name;
  }
  set name(value: string) {
    this.assertAlive();
    this.change(() => this._name, (v) => (this._name = v), String(value));
  }

  get removed(): boolean {
    return this._removed;
  }

  /** True when the node is attached, through its parents, to the document. */
  get inDocument(): boolean {
    let node: DoubleBaseNode | null = this;
    while (node && !node._removed) {
      if (node.type === 'DOCUMENT') return true;
      node = node.parent;
    }
    return false;
  }

  isAncestorOf(node: DoubleBaseNode): boolean {
    for (let p: DoubleBaseNode | null = node.parent; p; p = p.parent) if (p === this) return true;
    return false;
  }

  /** Undo of a creation: the node leaves the document for good. */
  discard(): void {
    detach(this);
    this._removed = true;
  }

  remove(): void {
    this.assertAlive();
    const parent = this.parent;
    const index = parent ? parent.kids.indexOf(this) : -1;
    detach(this);
    this._removed = true;
    this.ctx.journal.record(() => {
      this._removed = false;
      if (parent) attach(parent, this, index);
    });
    this.ctx.nodeRemoved(this);
    if (parent instanceof DoubleGroup) parent.childLeft();
  }

  getPluginData(key: string): string {
    return this.pluginData.get(key) ?? '';
  }
  setPluginData(key: string, value: string): void {
    this.assertAlive();
    const write = (v: string | undefined) => (v ? this.pluginData.set(key, v) : this.pluginData.delete(key));
    this.change(() => this.pluginData.get(key), write, String(value));
  }
  getPluginDataKeys(): string[] {
    return [...this.pluginData.keys()];
  }

  setRelaunchData(data: { [command: string]: string }): void {
    this.assertAlive();
    this.change(() => this.relaunchData, (v) => (this.relaunchData = v), { ...data });
  }
  getRelaunchData(): { [command: string]: string } {
    return { ...this.relaunchData };
  }

  /** appendChild / insertChild for containers: moves `child` here, recording where it came from. */
  protected adopt(child: DoubleBaseNode, index?: number): void {
    this.assertAlive();
    if (child.removed) throw new Error(`The node with id "${child.id}" has been removed`);
    if (child === this || child.isAncestorOf(this)) throw new Error('Cannot move a node into itself or its own children');
    const others = this.kids.filter((k) => k !== child).length;
    if (index !== undefined && (!Number.isInteger(index) || index < 0 || index > others)) {
      throw new RangeError(`insertChild: index ${index} is out of range (0..${others})`);
    }
    const oldParent = child.parent;
    const oldIndex = oldParent ? oldParent.kids.indexOf(child) : -1;
    attach(this as unknown as DoubleContainer, child, index);
    this.ctx.journal.record(() => (oldParent ? attach(oldParent, child, oldIndex) : detach(child)));
    if (oldParent instanceof DoubleGroup && oldParent !== (this as unknown)) oldParent.childLeft();
  }
}

/** Absolute position of the origin of the coordinate space `node` is placed in (groups have none of their own). */
function spaceOrigin(node: DoubleBaseNode): { x: number; y: number } {
  let space = node.parent;
  while (space && space.type === 'GROUP') space = space.parent;
  return space instanceof DoubleSceneNode ? space.absolutePosition : { x: 0, y: 0 };
}

export abstract class DoubleSceneNode extends DoubleBaseNode {
  abstract override readonly type: 'FRAME' | 'GROUP' | 'RECTANGLE';
  protected _x = 0;
  protected _y = 0;
  protected _width: number;
  protected _height: number;
  private _visible = true;
  private _layoutPositioning: 'AUTO' | 'ABSOLUTE' = 'AUTO';
  /** Raw pixels drawn over the node's box (layers made with addImageLayer); read by the rasterizers. */
  pixels?: RgbaImage;

  constructor(ctx: DoubleContext, name: string, width: number, height: number) {
    super(ctx, name);
    this._width = width;
    this._height = height;
  }

  get x(): number {
    return this._x;
  }
  set x(value: number) {
    this.assertAlive();
    this.change(() => this._x, (v) => (this._x = v), Number(value));
  }
  get y(): number {
    return this._y;
  }
  set y(value: number) {
    this.assertAlive();
    this.change(() => this._y, (v) => (this._y = v), Number(value));
  }
  get width(): number {
    return this._width;
  }
  get height(): number {
    return this._height;
  }

  resize(width: number, height: number): void {
    this.assertAlive();
    if (!(width >= 0.01 && height >= 0.01)) throw new Error(`resize: width and height must be >= 0.01 (got ${width}, ${height})`);
    this.change(() => [this._width, this._height], ([w, h]) => ((this._width = w), (this._height = h)), [width, height]);
  }

  get visible(): boolean {
    return this._visible;
  }
  set visible(value: boolean) {
    this.change(() => this._visible, (v) => (this._visible = v), Boolean(value));
  }

  get layoutPositioning(): 'AUTO' | 'ABSOLUTE' {
    return this._layoutPositioning;
  }
  set layoutPositioning(value: 'AUTO' | 'ABSOLUTE') {
    const parent = this.parent;
    if (value === 'ABSOLUTE' && !(parent instanceof DoubleFrame && parent.layoutMode !== 'NONE')) {
      throw new Error('layoutPositioning can only be set on children of auto-layout frames');
    }
    this.change(() => this._layoutPositioning, (v) => (this._layoutPositioning = v), value);
  }

  get absolutePosition(): { x: number; y: number } {
    const origin = spaceOrigin(this);
    return { x: origin.x + this.x, y: origin.y + this.y };
  }
  get absoluteTransform(): Transform {
    const { x, y } = this.absolutePosition;
    return [
      [1, 0, x],
      [0, 1, y],
    ];
  }
  get relativeTransform(): Transform {
    return [
      [1, 0, this.x],
      [0, 1, this.y],
    ];
  }
  get absoluteBoundingBox(): Rect {
    const { x, y } = this.absolutePosition;
    return { x, y, width: this.width, height: this.height };
  }

  async exportAsync(settings: ExportSettingsImage = { format: 'PNG' }): Promise<Uint8Array> {
    this.assertAlive();
    if (settings.format !== 'PNG') throw new Error(`figma double: only PNG export is implemented (got ${settings.format})`);
    const { width, height } = this.absoluteBoundingBox;
    if (!(width > 0 && height > 0)) throw new Error('Failed to export: the node has no size');
    const c = settings.constraint ?? { type: 'SCALE', value: 1 };
    const scale = c.type === 'SCALE' ? c.value : c.type === 'WIDTH' ? c.value / width : c.value / height;
    if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`Invalid export scale ${scale}`);
    this.ctx.exports.push({ nodeId: this.id, settings: structuredClone(settings), scale });
    if (!this.ctx.rasterizer) throw new Error('figma double: no rasterizer was given to createFigmaDouble');
    return this.ctx.rasterizer.exportPng(this, scale);
  }
}

type PaintList = ReadonlyArray<Paint>;
const freezePaints = (paints: PaintList): PaintList => Object.freeze(paints.map((p) => Object.freeze(structuredClone(p))));

type RectangleKeys = 'id' | 'type' | 'name' | 'x' | 'y' | 'width' | 'height' | 'visible' | 'removed' | 'resize' | 'remove'
  | 'getPluginData' | 'setPluginData' | 'getPluginDataKeys' | 'setRelaunchData' | 'getRelaunchData' | 'fills'
  | 'absoluteTransform' | 'absoluteBoundingBox' | 'relativeTransform' | 'layoutPositioning';

export class DoubleRectangle extends DoubleSceneNode implements Pick<RectangleNode, RectangleKeys> {
  readonly type = 'RECTANGLE' as const;
  // Figma's default rectangle fill (#D9D9D9).
  private _fills: PaintList = freezePaints([{ type: 'SOLID', color: { r: 217 / 255, g: 217 / 255, b: 217 / 255 } }]);
  get fills(): PaintList {
    return this._fills;
  }
  set fills(value: PaintList) {
    this.assertAlive();
    this.change(() => this._fills, (v) => (this._fills = v), freezePaints(value));
  }
}

export class DoubleFrame extends DoubleSceneNode implements Pick<FrameNode, RectangleKeys | 'layoutMode' | 'clipsContent'> {
  readonly type = 'FRAME' as const;
  layoutMode: 'NONE' | 'HORIZONTAL' | 'VERTICAL' | 'GRID' = 'NONE';
  clipsContent = true;
  private _fills: PaintList = freezePaints([{ type: 'SOLID', color: { r: 1, g: 1, b: 1 } }]);
  get fills(): PaintList {
    return this._fills;
  }
  set fills(value: PaintList) {
    this.change(() => this._fills, (v) => (this._fills = v), freezePaints(value));
  }
  get children(): ReadonlyArray<DoubleSceneNode> {
    return Object.freeze(this.kids.slice()) as ReadonlyArray<DoubleSceneNode>;
  }
  appendChild(child: DoubleSceneNode): void {
    this.adopt(child);
  }
  insertChild(index: number, child: DoubleSceneNode): void {
    this.adopt(child, index);
  }
}

type GroupKeys = Exclude<RectangleKeys, 'resize' | 'fills' | 'width' | 'height' | 'x' | 'y'>;

/** A group: its box is the union of its children's, and moving it moves them. */
export class DoubleGroup extends DoubleSceneNode implements Pick<GroupNode, GroupKeys | 'x' | 'y' | 'width' | 'height'> {
  readonly type = 'GROUP' as const;
  constructor(ctx: DoubleContext, name: string) {
    super(ctx, name, 0, 0);
  }
  private get scene(): DoubleSceneNode[] {
    return this.kids as DoubleSceneNode[];
  }
  override get x(): number {
    return Math.min(...this.scene.map((c) => c.x));
  }
  override set x(value: number) {
    const dx = value - this.x;
    this.scene.forEach((c) => (c.x += dx));
  }
  override get y(): number {
    return Math.min(...this.scene.map((c) => c.y));
  }
  override set y(value: number) {
    const dy = value - this.y;
    this.scene.forEach((c) => (c.y += dy));
  }
  override get width(): number {
    return Math.max(...this.scene.map((c) => c.x + c.width)) - this.x;
  }
  override get height(): number {
    return Math.max(...this.scene.map((c) => c.y + c.height)) - this.y;
  }
  override resize(): void {
    throw new Error('figma double: groups cannot be resized (their size follows their children)');
  }
  get children(): ReadonlyArray<DoubleSceneNode> {
    return Object.freeze(this.scene.slice());
  }
  appendChild(child: DoubleSceneNode): void {
    this.adopt(child);
  }
  insertChild(index: number, child: DoubleSceneNode): void {
    this.adopt(child, index);
  }
  /** Figma deletes a group when its last child leaves (not while undo is replaying, which restores it itself). */
  childLeft(): void {
    if (this.kids.length === 0 && !this.removed && this.ctx.journal.recording) this.remove();
  }
}

export class DoublePage extends DoubleBaseNode implements Pick<PageNode, 'id' | 'type' | 'name' | 'removed' | 'getPluginData' | 'setPluginData'> {
  readonly type = 'PAGE' as const;
  private _selection: ReadonlyArray<DoubleSceneNode> = [];
  get children(): ReadonlyArray<DoubleSceneNode> {
    return Object.freeze(this.kids.slice()) as ReadonlyArray<DoubleSceneNode>;
  }
  appendChild(child: DoubleSceneNode): void {
    this.adopt(child);
  }
  insertChild(index: number, child: DoubleSceneNode): void {
    this.adopt(child, index);
  }
  get selection(): ReadonlyArray<DoubleSceneNode> {
    return this._selection;
  }
  /** Like Figma: only nodes of this page are kept; listeners of 'selectionchange' are told. */
  set selection(nodes: ReadonlyArray<DoubleSceneNode>) {
    const onPage = nodes.filter((n, i) => nodes.indexOf(n) === i && n.inDocument && this.isAncestorOf(n));
    this._selection = Object.freeze(onPage);
    this.ctx.selectionChanged(this);
  }
  /** Drops removed nodes from the selection; true if it changed. */
  pruneSelection(): boolean {
    const kept = this._selection.filter((n) => n.inDocument);
    if (kept.length === this._selection.length) return false;
    this.selection = kept;
    return true;
  }
}

export class DoubleDocument extends DoubleBaseNode {
  readonly type = 'DOCUMENT' as const;
  get children(): ReadonlyArray<DoublePage> {
    return Object.freeze(this.kids.slice()) as ReadonlyArray<DoublePage>;
  }
  appendChild(page: DoublePage): void {
    this.adopt(page);
  }
}

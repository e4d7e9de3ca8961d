// The double's scene graph: document, pages, frames, groups, boolean operations and the shape nodes (rectangle,
// ellipse, polygon, star, vector, text) with the parts of Figma's node API that Pastiche uses. Every change is
// recorded in the undo journal. Like Figma: a node's x/y/rotation are its relativeTransform, in the coordinates of
// the nearest frame-like ancestor (groups and boolean operations have no coordinate space of their own: their
// bounds follow their children, moving them moves the children), and an emptied group deletes itself.
// Simplifications: groups and boolean operations are never rotated themselves (their children may be).
import type { ImageStore } from './image-store';
import type { Rasterizer, RgbaImage } from './figma-types';
import { boundsOf, copyMatrix, IDENTITY, isTranslation, multiply, rotationMatrix, rotationOf, translation, type Box, type Matrix } from './transform';
import type { UndoJournal } from './undo-journal';
import { Emitter } from './events';

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
  /** figma.mixed: what a property returns when its parts differ (e.g. corner radii). */
  readonly mixed: symbol;
  rasterizer?: Rasterizer;
  nextId(): string;
  register(node: DoubleBaseNode): void;
  /** A node left `page` (removed, or its creation undone): drop it from selections, tell the page's listeners. */
  nodeRemoved(node: DoubleBaseNode, page: DoublePage | null): void;
  selectionChanged(page: DoublePage): void;
  /** figma.currentPage: where clone() puts the duplicate. */
  currentPage(): DoublePage;
}

export type DoubleContainer = DoubleDocument | DoublePage | DoubleFrame | DoubleGroupLike;

export type SceneNodeType = 'FRAME' | 'GROUP' | 'BOOLEAN_OPERATION' | 'RECTANGLE' | 'ELLIPSE' | 'POLYGON' | 'STAR' | 'VECTOR' | 'TEXT';

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
  abstract readonly type: 'DOCUMENT' | 'PAGE' | SceneNodeType;
  readonly id: string;
  parent: DoubleContainer | null = null;
  /** Children, for containers (empty for leaves). Use the `children` getter from outside. */
  readonly kids: DoubleBaseNode[] = [];
  private _name: string;
  private _removed = false;
  private pluginData = new Map<string, string>();
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

  /**
   * Undo of a creation: the node leaves the document for good. `page`: where it was made (undoing its later moves may
   * already have taken it out of the tree).
   */
  discard(page: DoublePage | null = this.page): void {
    detach(this);
    this._removed = true;
    this.ctx.nodeRemoved(this, page);
  }

  /** The page the node is on, if it is in the document. */
  get page(): DoublePage | null {
    let node: DoubleBaseNode | null = this;
    while (node && node.type !== 'PAGE') node = node.parent;
    return node as DoublePage | null;
  }

  remove(): void {
    this.assertAlive();
    const page = this.page;
    const parent = this.parent;
    const index = parent ? parent.kids.indexOf(this) : -1;
    detach(this);
    this._removed = true;
    this.ctx.journal.record(() => {
      this._removed = false;
      if (parent) attach(parent, this, index);
    });
    this.ctx.nodeRemoved(this, page);
    if (parent instanceof DoubleGroupLike) parent.childLeft();
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

  /** clone(): what every node copies (plugin data and relaunch data are copied, as in Figma). */
  protected copyBaseFrom(from: DoubleBaseNode): void {
    this.pluginData = new Map(from.pluginData);
    this.relaunchData = { ...from.relaunchData };
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
    if (oldParent instanceof DoubleGroupLike && oldParent !== (this as unknown)) oldParent.childLeft();
  }
}

const isGroupLike = (node: DoubleBaseNode) => node.type === 'GROUP' || node.type === 'BOOLEAN_OPERATION';

/** The absolute transform of the coordinate space `node` is placed in (groups have none of their own). */
function spaceTransform(node: DoubleBaseNode): Matrix {
  let space = node.parent;
  while (space && isGroupLike(space)) space = space.parent;
  return space instanceof DoubleSceneNode ? copyMatrix(space.absoluteTransform) : copyMatrix(IDENTITY);
}

function checkTransform(value: Transform): Matrix {
  const m = copyMatrix(value);
  if (!m.every((row) => row.every((n) => typeof n === 'number' && Number.isFinite(n)))) {
    throw new Error('relativeTransform: expected a 2 x 3 matrix of finite numbers');
  }
  if (Math.abs(m[0][0] * m[1][1] - m[0][1] * m[1][0]) < 1e-12) throw new Error('relativeTransform: the matrix cannot be inverted');
  return m;
}

/** Constructor shape shared by every scene node class, so clone() can make one of the same class. */
type SceneNodeClass = new (ctx: DoubleContext, name: string, width: number, height: number) => DoubleSceneNode;

export abstract class DoubleSceneNode extends DoubleBaseNode {
  abstract override readonly type: SceneNodeType;
  protected _transform: Matrix = copyMatrix(IDENTITY);
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

  private setTransform(m: Matrix): void {
    this.change(() => this._transform, (v) => (this._transform = v), m);
  }

  get x(): number {
    return this._transform[0][2];
  }
  set x(value: number) {
    this.assertAlive();
    const m = copyMatrix(this._transform);
    m[0][2] = Number(value);
    this.setTransform(m);
  }
  get y(): number {
    return this._transform[1][2];
  }
  set y(value: number) {
    this.assertAlive();
    const m = copyMatrix(this._transform);
    m[1][2] = Number(value);
    this.setTransform(m);
  }
  get width(): number {
    return this._width;
  }
  get height(): number {
    return this._height;
  }

  /** Degrees, counter-clockwise, about the node's top-left corner (x/y stay where they are), as in Figma. */
  get rotation(): number {
    return rotationOf(this.relativeTransform as Matrix);
  }
  set rotation(degrees: number) {
    this.assertAlive();
    if (!Number.isFinite(degrees)) throw new Error('rotation: expected a finite number');
    const m = this.relativeTransform;
    this.relativeTransform = rotationMatrix(degrees, m[0][2], m[1][2]);
  }

  get relativeTransform(): Transform {
    return copyMatrix(this._transform);
  }
  set relativeTransform(value: Transform) {
    this.assertAlive();
    this.setTransform(checkTransform(value));
  }

  resize(width: number, height: number): void {
    this.assertAlive();
    if (!(width >= 0.01 && height >= 0.01)) throw new Error(`resize: width and height must be >= 0.01 (got ${width}, ${height})`);
    this.change(() => [this._width, this._height], ([w, h]) => ((this._width = w), (this._height = h)), [width, height]);
  }

  /** Scales the node and everything in it about its top-left corner, as Figma's rescale() (strokes and text
   *  sizes are not modelled). */
  rescale(scale: number): void {
    this.assertAlive();
    if (!(Number.isFinite(scale) && scale >= 0.01)) throw new Error(`rescale: scale must be >= 0.01 (got ${scale})`);
    for (const kid of this.kids as DoubleSceneNode[]) {
      kid.rescale(scale);
      kid.x *= scale; // children of a frame-like node are placed in its own coordinates
      kid.y *= scale;
    }
    this.resize(Math.max(0.01, this.width * scale), Math.max(0.01, this.height * scale));
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

  get absoluteTransform(): Transform {
    return multiply(spaceTransform(this), this.relativeTransform as Matrix);
  }
  get absolutePosition(): { x: number; y: number } {
    const m = this.absoluteTransform;
    return { x: m[0][2], y: m[1][2] };
  }
  get absoluteBoundingBox(): Rect {
    return boundsOf(this.absoluteTransform as Matrix, this.width, this.height);
  }
  /** The node's box in the coordinates its x/y are given in (its frame's, or its group's frame's). */
  get spaceBounds(): Box {
    return boundsOf(this.relativeTransform as Matrix, this.width, this.height);
  }

  /**
   * Duplicates the node (and its children), parented under figma.currentPage as Figma's docs say, topmost. One
   * recorded change: undo removes the duplicate.
   */
  clone(): this {
    this.assertAlive();
    const copy = this.ctx.journal.untracked(() => this.duplicate());
    const page = this.ctx.currentPage();
    this.ctx.journal.record(() => copy.discard(page));
    this.ctx.currentPage().appendChild(copy);
    return copy;
  }

  private duplicate(): this {
    const copy = new (this.constructor as SceneNodeClass)(this.ctx, this.name, this.width, this.height) as this;
    copy.copyStateFrom(this);
    for (const kid of this.kids as DoubleSceneNode[]) attach(copy as unknown as DoubleContainer, kid.duplicate());
    return copy;
  }

  /** clone(): copies this class's own state from `from` (subclasses add theirs and call super). */
  protected copyStateFrom(from: DoubleSceneNode): void {
    this.copyBaseFrom(from);
    this._transform = copyMatrix(from._transform);
    this._visible = from._visible;
    this.pixels = from.pixels;
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
const GREY: PaintList = freezePaints([{ type: 'SOLID', color: { r: 217 / 255, g: 217 / 255, b: 217 / 255 } }]);

/** Like Figma: an image paint needs a known scale mode, and a TILE scaling factor must be a positive number. */
function checkPaints(paints: PaintList): PaintList {
  if (!Array.isArray(paints)) throw new Error('fills: expected an array of paints');
  for (const paint of paints) {
    if (paint.type !== 'IMAGE') continue;
    if (!['FILL', 'FIT', 'CROP', 'TILE'].includes(paint.scaleMode)) throw new Error(`Invalid scaleMode "${String(paint.scaleMode)}"`);
    if (paint.scalingFactor !== undefined && !(Number.isFinite(paint.scalingFactor) && paint.scalingFactor > 0)) {
      throw new Error(`Invalid scalingFactor ${paint.scalingFactor}`);
    }
  }
  return freezePaints(paints);
}

const checkRadius = (value: number, what: string) => {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw new Error(`${what} must be a non-negative number (got ${value})`);
  return value;
};

type SceneKeys = 'id' | 'type' | 'name' | 'x' | 'y' | 'width' | 'height' | 'visible' | 'removed' | 'resize' | 'remove'
  | 'getPluginData' | 'setPluginData' | 'getPluginDataKeys' | 'setRelaunchData' | 'getRelaunchData'
  | 'absoluteTransform' | 'absoluteBoundingBox' | 'relativeTransform' | 'rotation' | 'layoutPositioning';
type ShapeKeys = SceneKeys | 'fills' | 'strokes' | 'effects' | 'constraints' | 'isMask';
type RoundedKeys = ShapeKeys | 'cornerSmoothing' | 'topLeftRadius' | 'topRightRadius' | 'bottomLeftRadius' | 'bottomRightRadius';

/** Nodes with paints, effects and constraints (Figma's DefaultShapeMixin + ConstraintMixin). */
export abstract class DoubleShapeNode extends DoubleSceneNode {
  private _fills: PaintList = this.defaultFills();
  private _strokes: PaintList = freezePaints([]);
  private _effects: ReadonlyArray<Effect> = Object.freeze([]);
  private _constraints: Constraints = Object.freeze({ horizontal: 'MIN', vertical: 'MIN' });
  private _isMask = false;

  /** Figma's default fill for a new node of this type. */
  protected defaultFills(): PaintList {
    return GREY;
  }

  get fills(): PaintList {
    return this._fills;
  }
  set fills(value: PaintList) {
    this.assertAlive();
    this.change(() => this._fills, (v) => (this._fills = v), checkPaints(value));
  }
  get strokes(): PaintList {
    return this._strokes;
  }
  set strokes(value: PaintList) {
    this.assertAlive();
    this.change(() => this._strokes, (v) => (this._strokes = v), checkPaints(value));
  }
  get effects(): ReadonlyArray<Effect> {
    return this._effects;
  }
  set effects(value: ReadonlyArray<Effect>) {
    this.assertAlive();
    this.change(() => this._effects, (v) => (this._effects = v), Object.freeze(value.map((e) => Object.freeze(structuredClone(e)))));
  }
  get constraints(): Constraints {
    return this._constraints;
  }
  set constraints(value: Constraints) {
    this.assertAlive();
    const kinds = ['MIN', 'CENTER', 'MAX', 'STRETCH', 'SCALE'];
    if (!kinds.includes(value?.horizontal) || !kinds.includes(value?.vertical)) throw new Error('constraints: invalid value');
    this.change(() => this._constraints, (v) => (this._constraints = v), Object.freeze({ horizontal: value.horizontal, vertical: value.vertical }));
  }
  get isMask(): boolean {
    return this._isMask;
  }
  set isMask(value: boolean) {
    this.assertAlive();
    this.change(() => this._isMask, (v) => (this._isMask = v), Boolean(value));
  }

  protected override copyStateFrom(from: DoubleShapeNode): void {
    super.copyStateFrom(from);
    this._fills = from._fills;
    this._strokes = from._strokes;
    this._effects = from._effects;
    this._constraints = from._constraints;
    this._isMask = from._isMask;
  }
}

/** Shapes with one corner radius (Figma's CornerMixin): ellipses, polygons, stars, vectors. */
export abstract class DoubleCornerShape extends DoubleShapeNode {
  private _cornerRadius = 0;
  private _cornerSmoothing = 0;

  get cornerRadius(): number | symbol {
    return this._cornerRadius;
  }
  set cornerRadius(value: number | symbol) {
    this.assertAlive();
    this.change(() => this._cornerRadius, (v) => (this._cornerRadius = v), checkRadius(value as number, 'cornerRadius'));
  }
  get cornerSmoothing(): number {
    return this._cornerSmoothing;
  }
  set cornerSmoothing(value: number) {
    this.assertAlive();
    if (!(value >= 0 && value <= 1)) throw new Error('cornerSmoothing must be between 0 and 1');
    this.change(() => this._cornerSmoothing, (v) => (this._cornerSmoothing = v), value);
  }

  protected override copyStateFrom(from: DoubleCornerShape): void {
    super.copyStateFrom(from);
    this._cornerRadius = from._cornerRadius;
    this._cornerSmoothing = from._cornerSmoothing;
  }
}

type Corner = 'topLeft' | 'topRight' | 'bottomRight' | 'bottomLeft';

/** Rectangles and frames: a radius per corner; `cornerRadius` is figma.mixed when they differ. */
export abstract class DoubleRoundedBox extends DoubleCornerShape {
  private radii: Record<Corner, number> = { topLeft: 0, topRight: 0, bottomRight: 0, bottomLeft: 0 };

  private setCorner(corner: Corner, value: number): void {
    this.assertAlive();
    const radius = checkRadius(value, `${corner}Radius`);
    this.change(() => this.radii, (v) => (this.radii = v), { ...this.radii, [corner]: radius });
  }

  override get cornerRadius(): number | symbol {
    const { topLeft, topRight, bottomRight, bottomLeft } = this.radii;
    return topLeft === topRight && topLeft === bottomRight && topLeft === bottomLeft ? topLeft : this.ctx.mixed;
  }
  override set cornerRadius(value: number | symbol) {
    this.assertAlive();
    const r = checkRadius(value as number, 'cornerRadius');
    this.change(() => this.radii, (v) => (this.radii = v), { topLeft: r, topRight: r, bottomRight: r, bottomLeft: r });
  }
  get topLeftRadius(): number {
    return this.radii.topLeft;
  }
  set topLeftRadius(value: number) {
    this.setCorner('topLeft', value);
  }
  get topRightRadius(): number {
    return this.radii.topRight;
  }
  set topRightRadius(value: number) {
    this.setCorner('topRight', value);
  }
  get bottomRightRadius(): number {
    return this.radii.bottomRight;
  }
  set bottomRightRadius(value: number) {
    this.setCorner('bottomRight', value);
  }
  get bottomLeftRadius(): number {
    return this.radii.bottomLeft;
  }
  set bottomLeftRadius(value: number) {
    this.setCorner('bottomLeft', value);
  }

  protected override copyStateFrom(from: DoubleRoundedBox): void {
    super.copyStateFrom(from);
    this.radii = { ...from.radii };
  }
}

export class DoubleRectangle extends DoubleRoundedBox implements Pick<RectangleNode, RoundedKeys> {
  readonly type = 'RECTANGLE' as const;
}

export class DoubleEllipse extends DoubleCornerShape implements Pick<EllipseNode, ShapeKeys | 'cornerSmoothing' | 'arcData'> {
  readonly type = 'ELLIPSE' as const;
  private _arcData: ArcData = Object.freeze({ startingAngle: 0, endingAngle: 2 * Math.PI, innerRadius: 0 });
  get arcData(): ArcData {
    return this._arcData;
  }
  set arcData(value: ArcData) {
    this.assertAlive();
    this.change(() => this._arcData, (v) => (this._arcData = v), Object.freeze({ ...value }));
  }
  protected override copyStateFrom(from: DoubleEllipse): void {
    super.copyStateFrom(from);
    this._arcData = from._arcData;
  }
}

const checkPointCount = (value: number) => {
  if (!(Number.isInteger(value) && value >= 3)) throw new Error(`pointCount must be an integer >= 3 (got ${value})`);
  return value;
};

export class DoublePolygon extends DoubleCornerShape implements Pick<PolygonNode, ShapeKeys | 'cornerSmoothing' | 'pointCount'> {
  readonly type = 'POLYGON' as const;
  private _pointCount = 3;
  get pointCount(): number {
    return this._pointCount;
  }
  set pointCount(value: number) {
    this.assertAlive();
    this.change(() => this._pointCount, (v) => (this._pointCount = v), checkPointCount(value));
  }
  protected override copyStateFrom(from: DoublePolygon): void {
    super.copyStateFrom(from);
    this._pointCount = from._pointCount;
  }
}

export class DoubleStar extends DoubleCornerShape implements Pick<StarNode, ShapeKeys | 'cornerSmoothing' | 'pointCount' | 'innerRadius'> {
  readonly type = 'STAR' as const;
  private _pointCount = 5;
  private _innerRadius = 0.382;
  get pointCount(): number {
    return this._pointCount;
  }
  set pointCount(value: number) {
    this.assertAlive();
    this.change(() => this._pointCount, (v) => (this._pointCount = v), checkPointCount(value));
  }
  get innerRadius(): number {
    return this._innerRadius;
  }
  set innerRadius(value: number) {
    this.assertAlive();
    if (!(value >= 0 && value <= 1)) throw new Error('innerRadius must be between 0 and 1');
    this.change(() => this._innerRadius, (v) => (this._innerRadius = v), value);
  }
  protected override copyStateFrom(from: DoubleStar): void {
    super.copyStateFrom(from);
    this._pointCount = from._pointCount;
    this._innerRadius = from._innerRadius;
  }
}

export class DoubleVector extends DoubleCornerShape implements Pick<VectorNode, ShapeKeys | 'cornerSmoothing' | 'vectorPaths'> {
  readonly type = 'VECTOR' as const;
  private _vectorPaths: VectorPaths = Object.freeze([]);
  get vectorPaths(): VectorPaths {
    return this._vectorPaths;
  }
  set vectorPaths(value: VectorPaths) {
    this.assertAlive();
    this.change(() => this._vectorPaths, (v) => (this._vectorPaths = v), Object.freeze(value.map((p) => Object.freeze({ ...p }))));
  }
  protected override copyStateFrom(from: DoubleVector): void {
    super.copyStateFrom(from);
    this._vectorPaths = from._vectorPaths;
  }
}

/**
 * Minimal text: its characters, font and paints. With textAutoResize WIDTH_AND_HEIGHT (Figma's default for
 * createText), setting the characters or the size sizes the box to the text (estimated: 0.55 em a character, 1.25 em a line); the canvas
 * rasterizer draws the glyphs, the pngjs one leaves text out.
 */
export class DoubleText extends DoubleShapeNode implements Pick<TextNode, ShapeKeys | 'characters' | 'fontName'> {
  readonly type = 'TEXT' as const;
  private _characters = '';
  private _fontSize = 12;
  fontName: FontName = { family: 'Inter', style: 'Regular' };
  textAutoResize: 'NONE' | 'WIDTH_AND_HEIGHT' = 'WIDTH_AND_HEIGHT';
  get fontSize(): number {
    return this._fontSize;
  }
  set fontSize(value: number) {
    if (!(value >= 1)) throw new Error(`fontSize: expected a number >= 1 (got ${value})`);
    this._fontSize = value;
    this.fitToText();
  }
  private fitToText(): void {
    if (this._characters === '' || this.textAutoResize !== 'WIDTH_AND_HEIGHT') return;
    this.resize(Math.max(1, this._characters.length * this._fontSize * 0.55), this._fontSize * 1.25);
  }
  protected override defaultFills(): PaintList {
    return freezePaints([{ type: 'SOLID', color: { r: 0, g: 0, b: 0 } }]);
  }
  get characters(): string {
    return this._characters;
  }
  set characters(value: string) {
    this.assertAlive();
    this.change(() => this._characters, (v) => (this._characters = v), String(value));
    this.fitToText();
  }
  protected override copyStateFrom(from: DoubleText): void {
    super.copyStateFrom(from);
    this._characters = from._characters;
    this._fontSize = from._fontSize;
    this.fontName = { ...from.fontName };
    this.textAutoResize = from.textAutoResize;
  }
}

export class DoubleFrame extends DoubleRoundedBox implements Pick<FrameNode, RoundedKeys | 'layoutMode' | 'clipsContent'> {
  readonly type = 'FRAME' as const;
  layoutMode: 'NONE' | 'HORIZONTAL' | 'VERTICAL' | 'GRID' = 'NONE';
  clipsContent = true;
  // Auto-layout settings are kept, not applied: the double has no layout engine (callers place children themselves).
  primaryAxisSizingMode: 'FIXED' | 'AUTO' = 'FIXED';
  layoutWrap: 'NO_WRAP' | 'WRAP' = 'NO_WRAP';
  counterAxisSpacing = 0;
  counterAxisSizingMode: 'FIXED' | 'AUTO' = 'FIXED';
  itemSpacing = 0;
  paddingLeft = 0;
  paddingRight = 0;
  paddingTop = 0;
  paddingBottom = 0;
  protected override defaultFills(): PaintList {
    return freezePaints([{ type: 'SOLID', color: { r: 1, g: 1, b: 1 } }]);
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
  protected override copyStateFrom(from: DoubleFrame): void {
    super.copyStateFrom(from);
    this.layoutMode = from.layoutMode;
    this.clipsContent = from.clipsContent;
  }
}

type GroupKeys = Exclude<SceneKeys, 'resize' | 'width' | 'height' | 'x' | 'y'>;

/** Groups and boolean operations: the box is the union of the children's, and moving it moves them. */
export abstract class DoubleGroupLike extends DoubleSceneNode {
  constructor(ctx: DoubleContext, name: string, _width = 0, _height = 0) {
    super(ctx, name, 0, 0);
  }
  private get scene(): DoubleSceneNode[] {
    return this.kids as DoubleSceneNode[];
  }
  override get spaceBounds(): Box {
    const boxes = this.scene.map((c) => c.spaceBounds);
    if (boxes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
    const x = Math.min(...boxes.map((b) => b.x));
    const y = Math.min(...boxes.map((b) => b.y));
    return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
  }
  override get x(): number {
    return this.spaceBounds.x;
  }
  override set x(value: number) {
    const dx = value - this.x;
    this.scene.forEach((c) => (c.x += dx));
  }
  override get y(): number {
    return this.spaceBounds.y;
  }
  override set y(value: number) {
    const dy = value - this.y;
    this.scene.forEach((c) => (c.y += dy));
  }
  override get width(): number {
    return this.spaceBounds.width;
  }
  override get height(): number {
    return this.spaceBounds.height;
  }
  override get relativeTransform(): Transform {
    const { x, y } = this.spaceBounds;
    return translation(x, y);
  }
  override set relativeTransform(value: Transform) {
    const m = checkTransform(value);
    if (!isTranslation(m)) throw new Error('figma double: groups and boolean operations cannot be rotated or scaled');
    this.x = m[0][2];
    this.y = m[1][2];
  }
  override resize(): void {
    throw new Error(`figma double: ${this.type.toLowerCase()} nodes cannot be resized (their size follows their children)`);
  }
  /** Groups have no coordinates of their own: the children scale about the group's top-left corner. */
  override rescale(scale: number): void {
    const x0 = this.x;
    const y0 = this.y;
    for (const kid of this.scene) {
      const [kx, ky] = [kid.x, kid.y];
      kid.rescale(scale);
      kid.x = x0 + (kx - x0) * scale;
      kid.y = y0 + (ky - y0) * scale;
    }
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

export class DoubleGroup extends DoubleGroupLike implements Pick<GroupNode, GroupKeys | 'x' | 'y' | 'width' | 'height'> {
  readonly type = 'GROUP' as const;
}

/** A boolean operation: its own paints fill the combined shape of its children (drawn as its box). */
export class DoubleBooleanOperation extends DoubleGroupLike implements Pick<BooleanOperationNode, GroupKeys | 'x' | 'y' | 'width' | 'height' | 'fills' | 'strokes' | 'effects' | 'booleanOperation'> {
  readonly type = 'BOOLEAN_OPERATION' as const;
  booleanOperation: 'UNION' | 'INTERSECT' | 'SUBTRACT' | 'EXCLUDE' = 'UNION';
  private _fills: PaintList = GREY;
  private _strokes: PaintList = freezePaints([]);
  private _effects: ReadonlyArray<Effect> = Object.freeze([]);
  get fills(): PaintList {
    return this._fills;
  }
  set fills(value: PaintList) {
    this.assertAlive();
    this.change(() => this._fills, (v) => (this._fills = v), checkPaints(value));
  }
  get strokes(): PaintList {
    return this._strokes;
  }
  set strokes(value: PaintList) {
    this.assertAlive();
    this.change(() => this._strokes, (v) => (this._strokes = v), checkPaints(value));
  }
  get effects(): ReadonlyArray<Effect> {
    return this._effects;
  }
  set effects(value: ReadonlyArray<Effect>) {
    this.assertAlive();
    this.change(() => this._effects, (v) => (this._effects = v), Object.freeze(value.map((e) => Object.freeze(structuredClone(e)))));
  }
  protected override copyStateFrom(from: DoubleBooleanOperation): void {
    super.copyStateFrom(from);
    this.booleanOperation = from.booleanOperation;
    this._fills = from._fills;
    this._strokes = from._strokes;
    this._effects = from._effects;
  }
}

export class DoublePage extends DoubleBaseNode implements Pick<PageNode, 'id' | 'type' | 'name' | 'removed' | 'getPluginData' | 'setPluginData'> {
  readonly type = 'PAGE' as const;
  private _selection: ReadonlyArray<DoubleSceneNode> = [];
  private readonly listeners = new Emitter();
  /** page.on('nodechange'): only DELETE changes are modelled (a node removed, or its creation undone). */
  on(type: 'nodechange', callback: (event: NodeChangeEvent) => void): void {
    this.listeners.on(type, callback as never);
  }
  off(type: 'nodechange', callback: (event: NodeChangeEvent) => void): void {
    this.listeners.off(type, callback as never);
  }
  /** A new run of the plugin starts without the last run's listeners. */
  clearListeners(): void {
    this.listeners.clear();
  }
  nodeDeleted(node: DoubleBaseNode): void {
    const change = { type: 'DELETE', id: node.id, origin: 'LOCAL', node: { id: node.id, type: node.type, removed: true } };
    this.listeners.emit('nodechange', { nodeChanges: [change] });
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

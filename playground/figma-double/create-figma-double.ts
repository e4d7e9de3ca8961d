// The entry point of the double: createFigmaDouble(options) gives the `figma` object for the sandbox code, a way to
// deliver UI messages to it, and helpers to build a document. Environment-neutral: the rasterizer is injected.
import type { PluginToUi, UiToPlugin } from '../../plugin/messages';
import { FigmaDoubleApi, type FigmaDoubleOptions } from './figma-api';
import type { RgbaImage } from './figma-types';
import {
  DoubleBooleanOperation,
  DoubleEllipse,
  DoubleFrame,
  DoubleGroup,
  DoublePage,
  DoublePolygon,
  DoubleRectangle,
  DoubleStar,
  DoubleText,
  DoubleVector,
  type DoubleCornerShape,
  type DoubleSceneNode,
  type DoubleShapeNode,
} from './nodes';

export interface LayerSpec {
  name: string;
  /** Figma's x/y: the node's top-left corner (its relativeTransform's translation, also when rotated). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the layer goes (appended, topmost); the current page by default. */
  parent?: DoublePage | DoubleFrame | DoubleGroup;
  visible?: boolean;
  /** Degrees, counter-clockwise about the top-left corner, as Figma's `rotation`. */
  rotation?: number;
}

/** Shapes: paints, constraints and corners, where the node type has them. */
export interface ShapeSpec extends LayerSpec {
  fills?: Paint[];
  strokes?: Paint[];
  effects?: Effect[];
  constraints?: Constraints;
  /** One radius for every corner (rectangles, frames, ellipses, polygons, stars, vectors). */
  cornerRadius?: number;
  /** Rectangles and frames: top-left, top-right, bottom-right, bottom-left. */
  radii?: [number, number, number, number];
}

export interface ImageLayerSpec extends ShapeSpec {
  /** The pixels the layer shows, stretched over its box (any size: exports resample it). */
  rgba: RgbaImage;
}

export interface FrameSpec extends ShapeSpec {
  layoutMode?: 'NONE' | 'HORIZONTAL' | 'VERTICAL';
  clipsContent?: boolean;
}

export interface FigmaDouble {
  /** The double as Figma's type, for startPlugin(figma, html). It implements the subset Pastiche uses (see README). */
  figma: PluginAPI;
  /** The same object with the double's own types, to inspect it. */
  api: FigmaDoubleApi;
  /** A message from the UI to the plugin; resolves when the plugin's handlers have finished with it. */
  deliverToPlugin(message: UiToPlugin): Promise<void>;
  /** Messages the plugin posted to the UI, in order. */
  readonly uiMessages: PluginToUi[];
  addImageLayer(spec: ImageLayerSpec): DoubleRectangle;
  addRectangle(spec: ShapeSpec): DoubleRectangle;
  addFrame(spec: FrameSpec): DoubleFrame;
  addEllipse(spec: ShapeSpec): DoubleEllipse;
  addPolygon(spec: ShapeSpec & { pointCount?: number }): DoublePolygon;
  addStar(spec: ShapeSpec & { pointCount?: number; innerRadius?: number }): DoubleStar;
  /** A vector; `path` is SVG path data in the node's own units (kept, not drawn: vectors are drawn as their box). */
  addVector(spec: ShapeSpec & { path?: string }): DoubleVector;
  addText(spec: ShapeSpec & { characters: string }): DoubleText;
  addGroup(nodes: DoubleSceneNode[], name?: string): DoubleGroup;
  /** A boolean operation over `nodes` (which keep their places), like figma.union & co. */
  addBooleanOperation(nodes: DoubleSceneNode[], operation?: DoubleBooleanOperation['booleanOperation'], name?: string): DoubleBooleanOperation;
  addPage(name: string): DoublePage;
  /** Sets the current page's selection (fires 'selectionchange', like a click in Figma). */
  select(...nodes: DoubleSceneNode[]): void;
  /** Cmd+Z: reverts the last undo step; false when there is none. */
  undo(): boolean;
}

export function createFigmaDouble(options: FigmaDoubleOptions = {}): FigmaDouble {
  const api = new FigmaDoubleApi(options);
  // Set-up helpers build the document "before the plugin ran": not recorded as undo steps.
  const setup = <T>(fn: () => T) => api.journal.untracked(fn);

  function place<T extends DoubleSceneNode>(node: T, spec: LayerSpec): T {
    (spec.parent ?? api.currentPage).appendChild(node);
    if (spec.rotation) node.rotation = spec.rotation;
    node.x = spec.x;
    node.y = spec.y;
    if (spec.visible === false) node.visible = false;
    return node;
  }

  function shape<T extends DoubleShapeNode>(node: T, spec: ShapeSpec): T {
    if (spec.fills) node.fills = spec.fills;
    if (spec.strokes) node.strokes = spec.strokes;
    if (spec.effects) node.effects = spec.effects;
    if (spec.constraints) node.constraints = spec.constraints;
    if (spec.cornerRadius !== undefined && 'cornerRadius' in node) (node as unknown as DoubleCornerShape).cornerRadius = spec.cornerRadius;
    if (spec.radii && (node instanceof DoubleRectangle || node instanceof DoubleFrame)) {
      [node.topLeftRadius, node.topRightRadius, node.bottomRightRadius, node.bottomLeftRadius] = spec.radii;
    }
    return place(node, spec);
  }

  // Built with their size directly (not resize) so tests can make zero-size layers, which Figma does have.
  const build = <T extends DoubleShapeNode>(make: new (...args: ConstructorParameters<typeof DoubleRectangle>) => T, spec: ShapeSpec) =>
    setup(() => shape(new make(api.ctx, spec.name, spec.width, spec.height), spec));

  return {
    figma: api as unknown as PluginAPI,
    api,
    deliverToPlugin: (message) => api.ui.deliver(message),
    get uiMessages() {
      return api.ui.sent;
    },
    addImageLayer: (spec) =>
      setup(() => {
        const node = new DoubleRectangle(api.ctx, spec.name, spec.width, spec.height);
        node.pixels = spec.rgba;
        node.fills = [{ type: 'IMAGE', imageHash: api.images.addRgba(spec.rgba).hash, scaleMode: 'FILL' }];
        return shape(node, spec);
      }),
    addRectangle: (spec) => build(DoubleRectangle, spec),
    addFrame: (spec) =>
      setup(() => {
        const frame = new DoubleFrame(api.ctx, spec.name, spec.width, spec.height);
        frame.layoutMode = spec.layoutMode ?? 'NONE';
        frame.clipsContent = spec.clipsContent ?? true;
        return shape(frame, spec);
      }),
    addEllipse: (spec) => build(DoubleEllipse, spec),
    addPolygon: (spec) =>
      setup(() => {
        const node = build(DoublePolygon, spec);
        if (spec.pointCount !== undefined) node.pointCount = spec.pointCount;
        return node;
      }),
    addStar: (spec) =>
      setup(() => {
        const node = build(DoubleStar, spec);
        if (spec.pointCount !== undefined) node.pointCount = spec.pointCount;
        if (spec.innerRadius !== undefined) node.innerRadius = spec.innerRadius;
        return node;
      }),
    addVector: (spec) =>
      setup(() => {
        const node = build(DoubleVector, spec);
        if (spec.path) node.vectorPaths = [{ windingRule: 'NONZERO', data: spec.path }];
        return node;
      }),
    addText: (spec) =>
      setup(() => {
        const node = build(DoubleText, spec);
        node.textAutoResize = 'NONE'; // the box the test asked for
        node.characters = spec.characters;
        return node;
      }),
    addGroup: (nodes, name = 'Group') =>
      setup(() => {
        const parent = nodes[0]?.parent;
        if (!parent || parent.type === 'DOCUMENT') throw new Error('addGroup: the nodes must be in a page, frame or group');
        const group = api.group(nodes, parent, parent.kids.indexOf(nodes[0]));
        group.name = name;
        return group;
      }),
    addBooleanOperation: (nodes, operation = 'UNION', name = 'Boolean') =>
      setup(() => {
        const parent = nodes[0]?.parent;
        if (!parent || parent.type === 'DOCUMENT') throw new Error('addBooleanOperation: the nodes must be in a page, frame or group');
        const node = api.union(nodes, parent, parent.kids.indexOf(nodes[0]));
        node.booleanOperation = operation;
        node.name = name;
        return node;
      }),
    addPage: (name) => setup(() => api.createPage(name)),
    select: (...nodes) => (api.currentPage.selection = nodes),
    undo: () => api.journal.undo(),
  };
}

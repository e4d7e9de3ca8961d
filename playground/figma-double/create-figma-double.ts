// The entry point of the double: createFigmaDouble(options) gives the `figma` object for the sandbox code, a way to
// deliver UI messages to it, and helpers to build a document. Environment-neutral: the rasterizer is injected.
import type { PluginToUi, UiToPlugin } from '../../plugin/messages';
import { FigmaDoubleApi, type FigmaDoubleOptions } from './figma-api';
import type { RgbaImage } from './figma-types';
import { DoubleFrame, DoubleGroup, DoublePage, DoubleRectangle, type DoubleSceneNode } from './nodes';

export interface LayerSpec {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the layer goes (appended, topmost); the current page by default. */
  parent?: DoublePage | DoubleFrame | DoubleGroup;
  visible?: boolean;
}

export interface ImageLayerSpec extends LayerSpec {
  /** The pixels the layer shows, stretched over its box (any size: exports resample it). */
  rgba: RgbaImage;
}

export interface FrameSpec extends LayerSpec {
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
  addRectangle(spec: LayerSpec): DoubleRectangle;
  addFrame(spec: FrameSpec): DoubleFrame;
  addGroup(nodes: DoubleSceneNode[], name?: string): DoubleGroup;
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
    node.x = spec.x;
    node.y = spec.y;
    if (spec.visible === false) node.visible = false;
    return node;
  }

  return {
    figma: api as unknown as PluginAPI,
    api,
    deliverToPlugin: (message) => api.ui.deliver(message),
    get uiMessages() {
      return api.ui.sent;
    },
    addImageLayer: (spec) =>
      setup(() => {
        // Built with its size directly (not resize) so tests can make zero-size layers, which Figma does have.
        const node = new DoubleRectangle(api.ctx, spec.name, spec.width, spec.height);
        node.pixels = spec.rgba;
        node.fills = [{ type: 'IMAGE', imageHash: api.images.addRgba(spec.rgba).hash, scaleMode: 'FILL' }];
        return place(node, spec);
      }),
    addRectangle: (spec) => setup(() => place(new DoubleRectangle(api.ctx, spec.name, spec.width, spec.height), spec)),
    addFrame: (spec) =>
      setup(() => {
        const frame = new DoubleFrame(api.ctx, spec.name, spec.width, spec.height);
        frame.layoutMode = spec.layoutMode ?? 'NONE';
        frame.clipsContent = spec.clipsContent ?? true;
        return place(frame, spec);
      }),
    addGroup: (nodes, name = 'Group') =>
      setup(() => {
        const parent = nodes[0]?.parent;
        if (!parent || parent.type === 'DOCUMENT') throw new Error('addGroup: the nodes must be in a page, frame or group');
        const group = api.group(nodes, parent, parent.kids.indexOf(nodes[0]));
        group.name = name;
        return group;
      }),
    addPage: (name) => setup(() => api.createPage(name)),
    select: (...nodes) => (api.currentPage.selection = nodes),
    undo: () => api.journal.undo(),
  };
}

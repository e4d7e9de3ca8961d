// Where a result layer goes: in which parent, at which index, and where on the canvas.
// - On top: the source's own box, just above the source (in its parent when that is sensible, else on the page).
// - Beside: never over another layer at the moment it is placed. The first free spot in a row to the right of the
//   source (24 units apart), hopping over whatever is in the way (the source's earlier results first, so the
//   results of one source stay together in a row); a row that runs too far continues below. In the layer list it
//   goes above the source's earlier results, so the newest is on top.
// The parent is the source's own when it can take a free-standing layer there (not an instance, not an
// auto-layout flow, not outside a clipping frame), otherwise the top of the source's page.
import type { Placement } from './messages';
import type { Rect } from '../techniques/geometry';
import { absoluteBox, pageOf } from './node-geometry';
import { readSavedJob } from './saved-job';

/** The gap between a source and a result placed beside it (and between results), in document units. */
export const BESIDE_GAP = 24;
/** How far a row of results reaches, in result widths, before the next result tries a row below. */
export const ROW_LENGTH = 12;
/** Rows tried below the source's own before giving up on "below" (the first row always has a free spot). */
export const MAX_ROWS = 6;

export interface Target {
  container: BaseNode & ChildrenMixin;
  /** Index in `container.children`; undefined appends (topmost). */
  index?: number;
  /** The container is an auto-layout frame: the result must be absolutely positioned so nothing reflows. */
  absolutePositioning: boolean;
}

export interface Placed {
  target: Target;
  /** The result's box on the canvas, in absolute coordinates. */
  box: Rect;
}

function insideInstance(node: BaseNode | null): boolean {
  for (let current = node; current && current.type !== 'PAGE'; current = current.parent) {
    if (current.type === 'INSTANCE') return true; // instances cannot take new children, nor can their sublayers
  }
  return false;
}

const contains = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

/** Touching is not overlapping (a small tolerance absorbs rounding). */
const EPSILON = 1e-6;
const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width - EPSILON && b.x < a.x + a.width - EPSILON && a.y < b.y + b.height - EPSILON && b.y < a.y + a.height - EPSILON;

function isAutoLayout(node: BaseNode): boolean {
  return 'layoutMode' in node && node.layoutMode !== 'NONE';
}

function clips(node: BaseNode): node is FrameNode | ComponentNode {
  return (node.type === 'FRAME' || node.type === 'COMPONENT') && node.clipsContent;
}

/** Whether a result at `box` can live in `container` and still be seen (a clipping frame would hide what is outside). */
function fitsIn(container: BaseNode, box: Rect): boolean {
  return !clips(container) || contains(absoluteBox(container as SceneNode), box);
}

/**
 * The parent a result of `source` goes into, just above the source. `box` (beside only): where it will be, to
 * refuse a clipping frame that would hide it.
 */
export function chooseTarget(figma: PluginAPI, source: SceneNode, placement: Placement, box?: Rect): Target {
  const parent = source.parent;
  const page = pageOf(source) ?? figma.currentPage;
  const onPage: Target = { container: page, absolutePositioning: false };
  if (!parent || insideInstance(parent)) return onPage;
  const above = parent.children.indexOf(source) + 1;
  const here: Target = { container: parent, index: above, absolutePositioning: false };

  switch (parent.type) {
    case 'PAGE':
    case 'GROUP':
    case 'SECTION':
      return here;
    case 'FRAME':
    case 'COMPONENT': {
      if (isAutoLayout(parent)) {
        // On top: stay with the source, out of the flow. Beside: the flow would move it, so use the page.
        return placement === 'on-top' ? { ...here, absolutePositioning: true } : onPage;
      }
      // A result beside the source but outside a clipping frame would be invisible: put it on the page instead.
      if (placement === 'beside' && box && !fitsIn(parent, box)) return onPage;
      return here;
    }
    default:
      return onPage; // boolean operations, component sets ...: no free-form children
  }
}

/**
 * The boxes a result placed in `container` must not cover: every layer beside it in the container and beside each of
 * the container's ancestors, up to the page. The ancestors themselves are not in the way: the result is inside them.
 */
export function obstaclesAround(container: BaseNode & ChildrenMixin): Rect[] {
  const boxes: Rect[] = [];
  let inside: BaseNode | null = null;
  for (let node: BaseNode | null = container; node; node = node.parent) {
    if ('children' in node) {
      for (const child of node.children) if (child !== inside) boxes.push(absoluteBox(child as SceneNode));
    }
    if (node.type === 'PAGE') break;
    inside = node;
  }
  return boxes;
}

/** The leftmost x from `x` on where a w × h box at height y covers none of `obstacles` (hopping right past them). */
function freeX(x: number, y: number, width: number, height: number, obstacles: ReadonlyArray<Rect>, gap: number): number {
  const band = obstacles.filter((o) => o.y < y + height - EPSILON && y < o.y + o.height - EPSILON);
  // Each pass moves x past every obstacle it hits, which are then behind it for good: at most band.length passes.
  for (let pass = 0; pass <= band.length; pass++) {
    const hits = band.filter((o) => overlaps(o, { x, y, width, height }));
    if (hits.length === 0) return x;
    x = Math.max(...hits.map((o) => o.x + o.width)) + gap;
  }
  return x;
}

/**
 * The spot for a result of `source` (its box) beside it: the first free place in the source's row to the right,
 * or, when that runs beyond ROW_LENGTH result widths, in the first row below that has one; failing that, the
 * first row's free place however far it is. Always a spot that overlaps none of `obstacles`.
 */
export function findFreeSpot(source: Rect, obstacles: ReadonlyArray<Rect>, gap = BESIDE_GAP, size: { width: number; height: number } = source): Rect {
  const { width, height } = size;
  const startX = source.x + source.width + gap;
  const limit = startX + ROW_LENGTH * (width + gap);
  let first: Rect | undefined;
  for (let row = 0; row < MAX_ROWS; row++) {
    const y = source.y + row * (height + gap);
    const spot = { x: freeX(startX, y, width, height, obstacles, gap), y, width, height };
    first = first ?? spot;
    if (spot.x <= limit) return spot;
  }
  return first!;
}

const isResultOf = (node: SceneNode, source: SceneNode) => readSavedJob(node)?.sourceId === source.id;

/** Where a result of `source` goes, as the user asked (`placement`). */
/** `size`: the result's size in document units (default: the source's). */
export function planResult(figma: PluginAPI, source: SceneNode, placement: Placement, size?: { width: number; height: number }): Placed {
  const sourceBox = absoluteBox(source);
  if (placement === 'on-top') return { target: chooseTarget(figma, source, 'on-top'), box: { ...sourceBox, ...size } };

  const page = pageOf(source) ?? figma.currentPage;
  let target = chooseTarget(figma, source, 'beside', { ...sourceBox, x: sourceBox.x + sourceBox.width + BESIDE_GAP });
  let box = findFreeSpot(sourceBox, obstaclesAround(target.container), BESIDE_GAP, size);
  if (target.container !== page && !fitsIn(target.container, box)) {
    target = { container: page, absolutePositioning: false };
    box = findFreeSpot(sourceBox, obstaclesAround(page), BESIDE_GAP, size);
  }
  if (target.container === source.parent) {
    // Above the source and above its earlier results: the newest result is the topmost of them.
    const siblings = target.container.children;
    let index = siblings.indexOf(source) + 1;
    siblings.forEach((node, i) => {
      if (i >= index && isResultOf(node, source)) index = i + 1;
    });
    target = { ...target, index };
  } else target = { ...target, index: undefined };
  return { target, box };
}

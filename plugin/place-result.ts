// Where a result layer goes in the layer tree. Beside the source or on top of it, in the source's own parent when
// that is sensible; otherwise at the top of the source's page, at the same place on the canvas.
import type { Placement } from './messages';
import type { Rect } from '../techniques/geometry';
import { absoluteBox, pageOf } from './node-geometry';

/** The gap between a source and a result placed beside it, in document units. */
export const BESIDE_GAP = 24;

export interface Target {
  container: BaseNode & ChildrenMixin;
  /** Index in `container.children`; undefined appends (topmost). */
  index?: number;
  /** The container is an auto-layout frame: the result must be absolutely positioned so nothing reflows. */
  absolutePositioning: boolean;
}

/** The result's box on the canvas, in absolute coordinates. */
export function resultBox(source: SceneNode, placement: Placement): Rect {
  const box = absoluteBox(source);
  return placement === 'on-top' ? box : { ...box, x: box.x + box.width + BESIDE_GAP };
}

function insideInstance(node: BaseNode | null): boolean {
  for (let current = node; current && current.type !== 'PAGE'; current = current.parent) {
    if (current.type === 'INSTANCE') return true; // instances cannot take new children, nor can their sublayers
  }
  return false;
}

const contains = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

function isAutoLayout(node: BaseNode): boolean {
  return 'layoutMode' in node && node.layoutMode !== 'NONE';
}

export function chooseTarget(figma: PluginAPI, source: SceneNode, placement: Placement): Target {
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
      if (placement === 'beside' && parent.clipsContent && !contains(absoluteBox(parent), resultBox(source, placement))) {
        return onPage;
      }
      return here;
    }
    default:
      return onPage; // boolean operations, component sets ...: no free-form children
  }
}

// Where a node is and how big it looks, in the terms the rest of the sandbox needs. Kept apart because Figma's
// coordinates are subtle: x/y are relative to the nearest frame-like ancestor (groups have no coordinate space of
// their own), and an export covers the node's bounding box, which differs from width/height when it is rotated.

import type { Rect } from '../techniques/geometry';

type AnyNode = BaseNode;

/** The node's box in absolute (page) coordinates: the area its export covers. */
export function absoluteBox(node: SceneNode): Rect {
  const bbox = 'absoluteBoundingBox' in node ? node.absoluteBoundingBox : null;
  if (bbox) return { x: bbox.x, y: bbox.y, width: bbox.width, height: bbox.height };
  const [[, , tx], [, , ty]] = node.absoluteTransform;
  return { x: tx, y: ty, width: 'width' in node ? node.width : 0, height: 'height' in node ? node.height : 0 };
}

/** The size a result must have to cover the source (and the size its export is scaled from). */
export function documentSize(node: SceneNode): { width: number; height: number } {
  const { width, height } = absoluteBox(node);
  return { width, height };
}

export function pageOf(node: AnyNode): PageNode | null {
  let current: AnyNode | null = node;
  while (current && current.type !== 'PAGE') current = current.parent;
  return current && current.type === 'PAGE' ? current : null;
}

const hasOwnCoordinates = (node: AnyNode) => node.type !== 'GROUP' && node.type !== 'BOOLEAN_OPERATION';

/**
 * Converts an absolute point into the coordinates of a child of `container`: the inverse of the absolute transform
 * of the nearest ancestor that has its own coordinate space (a page is the identity).
 */
export function toChildCoordinates(container: BaseNode & ChildrenMixin, point: { x: number; y: number }) {
  let space: AnyNode | null = container;
  while (space && !hasOwnCoordinates(space)) space = space.parent;
  if (!space || space.type === 'PAGE' || space.type === 'DOCUMENT' || !('absoluteTransform' in space)) return point;
  const [[a, c, e], [b, d, f]] = space.absoluteTransform;
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) return point; // degenerate (scaled to nothing): leave it where asked
  const px = point.x - e;
  const py = point.y - f;
  return { x: (d * px - c * py) / det, y: (-b * px + a * py) / det };
}

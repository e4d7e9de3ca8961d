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

/** `outer` after `inner` (Figma's 2 x 3 matrices: a point goes through `inner` first). */
export function multiplyTransforms(outer: Transform, inner: Transform): Transform {
  const [[a, c, e], [b, d, f]] = outer;
  const [[a2, c2, e2], [b2, d2, f2]] = inner;
  return [
    [a * a2 + c * b2, a * c2 + c * d2, a * e2 + c * f2 + e],
    [b * a2 + d * b2, b * c2 + d * d2, b * e2 + d * f2 + f],
  ];
}

/** The inverse transform, or null when the matrix is degenerate (scaled to nothing). */
export function invertTransform(m: Transform): Transform | null {
  const [[a, c, e], [b, d, f]] = m;
  const det = a * d - b * c;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return null;
  return [
    [d / det, -c / det, (c * f - d * e) / det],
    [-b / det, a / det, (b * e - a * f) / det],
  ];
}

/** The absolute transform of the space a child of `container` is placed in (null: the page, the identity). */
function spaceOf(container: BaseNode & ChildrenMixin): Transform | null {
  let space: AnyNode | null = container;
  while (space && !hasOwnCoordinates(space)) space = space.parent;
  if (!space || space.type === 'PAGE' || space.type === 'DOCUMENT' || !('absoluteTransform' in space)) return null;
  return space.absoluteTransform;
}

/**
 * The relativeTransform a child of `container` needs so that it lands at `absolute` on the canvas: the inverse of
 * the absolute transform of the nearest ancestor with its own coordinate space (a page is the identity), then
 * `absolute`.
 */
export function transformIn(container: BaseNode & ChildrenMixin, absolute: Transform): Transform {
  const space = spaceOf(container);
  const inverse = space && invertTransform(space);
  return inverse ? multiplyTransforms(inverse, absolute) : absolute;
}

/** Converts an absolute point into the coordinates of a child of `container` (see transformIn). */
export function toChildCoordinates(container: BaseNode & ChildrenMixin, point: { x: number; y: number }) {
  const [[, , x], [, , y]] = transformIn(container, [
    [1, 0, point.x],
    [0, 1, point.y],
  ]);
  return { x, y };
}

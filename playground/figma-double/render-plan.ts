// What an export of a node shows, as a list of boxes to paint (environment-neutral): each rasterizer paints it its
// own way. Pixels and image fills are stretched over the box (scaleMode FILL on an image of the same aspect).
import type { RgbaImage } from './figma-types';
import type { DoubleSceneNode } from './nodes';

export type PaintSource =
  | { kind: 'rgba'; image: RgbaImage }
  | { kind: 'png'; bytes: Uint8Array }
  | { kind: 'solid'; r: number; g: number; b: number; a: number };

export interface PaintBox {
  source: PaintSource;
  /** In document units, relative to the exported node's top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes to paint, back to front, for an export of `root`. Hidden layers are left out. */
export function renderPlan(root: DoubleSceneNode): PaintBox[] {
  const origin = root.absolutePosition;
  const boxes: PaintBox[] = [];
  const visit = (node: DoubleSceneNode) => {
    if (!node.visible) return;
    const at = node.absolutePosition;
    const box = { x: at.x - origin.x, y: at.y - origin.y, width: node.width, height: node.height };
    const fills = 'fills' in node ? (node as { fills: ReadonlyArray<Paint> }).fills : [];
    for (const fill of fills) {
      if (fill.visible === false) continue;
      if (fill.type === 'SOLID') {
        const { r, g, b } = fill.color;
        boxes.push({ ...box, source: { kind: 'solid', r, g, b, a: fill.opacity ?? 1 } });
      } else if (fill.type === 'IMAGE' && fill.imageHash) {
        const stored = node.ctx.images.get(fill.imageHash);
        if (stored?.rgba) boxes.push({ ...box, source: { kind: 'rgba', image: stored.rgba } });
        else if (stored?.png) boxes.push({ ...box, source: { kind: 'png', bytes: stored.png } });
      }
    }
    if (node.pixels && !fills.some((f) => f.type === 'IMAGE')) boxes.push({ ...box, source: { kind: 'rgba', image: node.pixels } });
    for (const child of node.kids as DoubleSceneNode[]) visit(child);
  };
  visit(root);
  return boxes;
}

/** The pixel size of an export at `scale`: at least 1 px a side, like Figma. */
export function exportPixelSize(node: DoubleSceneNode, scale: number): { width: number; height: number } {
  const { width, height } = node.absoluteBoundingBox;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

// What an export of a node shows, as a list of boxes to paint (environment-neutral): each rasterizer paints it its
// own way. Every box is a node's own box (0, 0, width, height) placed by an affine transform, so rotated layers are
// drawn rotated. Image paints: FILL (and FIT, CROP) stretch the image over the box; TILE repeats it, one copy being
// the image's pixel size times `scalingFactor` in document units. Ellipses are drawn as ellipses; every other shape
// (polygon, star, vector, boolean operation) as its box, text as glyphs where the rasterizer can (the canvas one),
// and corner radii are not drawn.
import type { RgbaImage } from './figma-types';
import { DoubleText, type DoubleSceneNode } from './nodes';
import { multiply, translation, type Matrix } from './transform';

export type PaintSource =
  | { kind: 'rgba'; image: RgbaImage }
  | { kind: 'png'; bytes: Uint8Array }
  | { kind: 'solid'; r: number; g: number; b: number; a: number };

export interface PaintBox {
  source: PaintSource;
  /** From the node's own units to document units relative to the export's top-left corner. */
  transform: Matrix;
  /** The translation of `transform`: where the box's top-left corner is when it is not rotated. */
  x: number;
  y: number;
  width: number;
  height: number;
  shape: 'box' | 'ellipse';
  /** TILE image paints: the size of one copy of the image, in the node's own units. */
  tile?: { width: number; height: number };
  /** Text nodes: their glyphs, painted with the box's (solid) source. */
  text?: { characters: string; fontSize: number };
}

type Painted = DoubleSceneNode & { fills: ReadonlyArray<Paint> };
const isPainted = (node: DoubleSceneNode): node is Painted => 'fills' in node;

/** The boxes to paint, back to front, for an export of `root`. Hidden layers are left out. */
export function renderPlan(root: DoubleSceneNode): PaintBox[] {
  const bounds = root.absoluteBoundingBox;
  const toExport = translation(-bounds.x, -bounds.y);
  const boxes: PaintBox[] = [];
  const visit = (node: DoubleSceneNode) => {
    if (!node.visible) return;
    const transform = multiply(toExport, node.absoluteTransform as Matrix);
    const box = { transform, x: transform[0][2], y: transform[1][2], width: node.width, height: node.height, shape: node.type === 'ELLIPSE' ? ('ellipse' as const) : ('box' as const) };
    const fills = isPainted(node) ? node.fills : [];
    for (const fill of fills) {
      if (fill.visible === false) continue;
      if (fill.type === 'SOLID') {
        const { r, g, b } = fill.color;
        const text = node instanceof DoubleText ? { text: { characters: node.characters, fontSize: node.fontSize } } : {};
        boxes.push({ ...box, source: { kind: 'solid', r, g, b, a: fill.opacity ?? 1 }, ...text });
      } else if (fill.type === 'IMAGE' && fill.imageHash) {
        const stored = node.ctx.images.get(fill.imageHash);
        const source: PaintSource | null = stored?.rgba ? { kind: 'rgba', image: stored.rgba } : stored?.png ? { kind: 'png', bytes: stored.png } : null;
        if (!stored || !source) continue;
        const factor = fill.scalingFactor ?? 1;
        const tile = fill.scaleMode === 'TILE' ? { width: stored.width * factor, height: stored.height * factor } : undefined;
        boxes.push(tile ? { ...box, source, tile } : { ...box, source });
      }
    }
    if (node.pixels && !fills.some((f) => f.type === 'IMAGE')) boxes.push({ ...box, source: { kind: 'rgba', image: node.pixels } });
    // A boolean operation's children only give it its shape: its own fills paint it.
    if (node.type === 'BOOLEAN_OPERATION') return;
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

// A result laid out as 'fill-source' (techniques/technique-spec.ts ResultLayout): a NEW layer directly above the
// source (the target) that takes the target's shape and is filled with the result as one IMAGE paint.
// - Shapes (rectangle, ellipse, polygon, star, vector, boolean operation): a clone of the target, so every
//   geometric property comes along (corner radii, arcs, point counts, paths, operands), without its strokes and
//   effects (the texture is the look) and never a mask.
// - Frames and components: a rectangle of the frame's size and corner radii (a clone would copy its children).
// - Text, groups, instances and anything else: a rectangle of the node's box (and radii where it has them).
// Rotation (the relativeTransform) and constraints are the target's. The target is never written to.
import { PasticheError } from '../techniques/errors';
import type { ResultLayout } from '../techniques/technique-spec';
import { MAX_ROW_CELLS } from './messages';
import { transformIn } from './node-geometry';
import { chooseTarget } from './place-result';

export type FillLayout = Extract<ResultLayout, { kind: 'fill-source' }>;

/** Node types whose own shape the fill layer copies (as a clone). */
export const CLONED_SHAPES = ['RECTANGLE', 'ELLIPSE', 'POLYGON', 'STAR', 'VECTOR', 'BOOLEAN_OPERATION'] as const;
/** Node types drawn as a rectangle with their size and corner radii (never cloned: that would copy children). */
export const FRAME_LIKE = ['FRAME', 'COMPONENT'] as const;

/** How the fill layer takes the target's shape: 'clone' of the shape, 'frame' rectangle, or 'box' rectangle. */
export function fillShapeOf(target: SceneNode): 'clone' | 'frame' | 'box' {
  if ((CLONED_SHAPES as readonly string[]).indexOf(target.type) >= 0) return 'clone';
  if ((FRAME_LIKE as readonly string[]).indexOf(target.type) >= 0) return 'frame';
  return 'box';
}

/**
 * Figma's TILE `scalingFactor` is the size of one image pixel in document units (1 = the image at its own pixel
 * size). A result of `pixelsPerUnit` pixels per unit therefore repeats at 1 / pixelsPerUnit.
 */
export function tileScalingFactor(pixelsPerUnit: number): number {
  if (!(typeof pixelsPerUnit === 'number' && Number.isFinite(pixelsPerUnit) && pixelsPerUnit > 0)) {
    throw new PasticheError('bad-params', `The texture's scale is not usable (${String(pixelsPerUnit)} pixels per unit).`);
  }
  return 1 / pixelsPerUnit;
}

/** The IMAGE paint of a fill layer: the result stretched over the target ('FILL') or repeated ('TILE'). */
export function fillPaint(imageHash: string, layout: FillLayout): ImagePaint {
  return layout.scaleMode === 'TILE'
    ? { type: 'IMAGE', imageHash, scaleMode: 'TILE', scalingFactor: tileScalingFactor(layout.pixelsPerUnit) }
    : { type: 'IMAGE', imageHash, scaleMode: 'FILL' };
}

/** A layout as the spec returned it, checked (a spec is code, but a wrong value must not reach the document). */
export function checkLayout(layout: unknown): ResultLayout {
  const value = (typeof layout === 'object' && layout !== null ? layout : {}) as Record<string, unknown>;
  if (value.kind === 'image') return { kind: 'image' };
  if (value.kind === 'labelled-row') {
    const columns = value.columns;
    if (columns === undefined) return { kind: 'labelled-row' };
    if (typeof columns === 'number' && Number.isInteger(columns) && columns >= 1 && columns <= MAX_ROW_CELLS) return { kind: 'labelled-row', columns };
  }
  if (value.kind === 'fill-source' && value.scaleMode === 'FILL') return { kind: 'fill-source', scaleMode: 'FILL' };
  if (value.kind === 'fill-source' && value.scaleMode === 'TILE') {
    const pixelsPerUnit = value.pixelsPerUnit as number;
    tileScalingFactor(pixelsPerUnit); // a typed error when it is not a positive number
    return { kind: 'fill-source', scaleMode: 'TILE', pixelsPerUnit };
  }
  throw new PasticheError('internal', 'The technique asked for a result layout Pastiche does not know.');
}

function copyCorners(from: SceneNode, to: RectangleNode): void {
  if ('topLeftRadius' in from) {
    to.topLeftRadius = from.topLeftRadius;
    to.topRightRadius = from.topRightRadius;
    to.bottomRightRadius = from.bottomRightRadius;
    to.bottomLeftRadius = from.bottomLeftRadius;
  } else if ('cornerRadius' in from && typeof from.cornerRadius === 'number') {
    to.cornerRadius = from.cornerRadius;
  }
  if ('cornerSmoothing' in from && typeof from.cornerSmoothing === 'number') to.cornerSmoothing = from.cornerSmoothing;
}

/** The target's own box size (unrotated), at least what Figma accepts. */
function ownSize(target: SceneNode): { width: number; height: number } {
  const width = 'width' in target && Number.isFinite(target.width) ? target.width : 0;
  const height = 'height' in target && Number.isFinite(target.height) ? target.height : 0;
  return { width: Math.max(0.01, width), height: Math.max(0.01, height) };
}

/**
 * Makes the fill layer of `target`, painted with `paint`, directly above it (in its parent, absolutely positioned
 * inside auto layout; on the page at the same place where the parent cannot take it). Name, saved job and undo are
 * the caller's. On failure nothing it made is left behind.
 */
export function createFillLayer(figma: PluginAPI, target: SceneNode, paint: ImagePaint): SceneNode {
  // Decided before anything is made: the new node must not count when finding the target's index.
  const place = chooseTarget(figma, target, 'on-top');
  const shape = fillShapeOf(target);
  const layer = (shape === 'clone' ? (target as SceneNode & { clone(): SceneNode }).clone() : figma.createRectangle()) as SceneNode & GeometryMixin;
  try {
    if (place.index === undefined) place.container.appendChild(layer);
    else place.container.insertChild(place.index, layer);
    if (place.absolutePositioning && 'layoutPositioning' in layer) layer.layoutPositioning = 'ABSOLUTE';
    if (shape !== 'clone') {
      const rect = layer as unknown as RectangleNode;
      const { width, height } = ownSize(target);
      rect.resize(width, height);
      copyCorners(target, rect);
    }
    layer.relativeTransform = transformIn(place.container, target.absoluteTransform);
    layer.fills = [paint];
    if ('strokes' in layer) layer.strokes = [];
    if ('effects' in layer) (layer as SceneNode & BlendMixin).effects = [];
    if ('isMask' in layer && layer.isMask) layer.isMask = false;
    if ('constraints' in target && 'constraints' in layer) (layer as SceneNode & ConstraintMixin).constraints = { ...target.constraints };
    return layer;
  } catch (error) {
    if (!layer.removed) layer.remove();
    throw error;
  }
}

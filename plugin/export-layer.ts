// Turns a selected layer into the pixels a job works on: checks it can be exported, picks the scale that keeps
// the technique's input limit, and exports it as an sRGB PNG.
import { PasticheError } from '../techniques/errors';
import type { ExportedLayer } from './messages';
import { documentSize } from './node-geometry';

/** A layer name as it appears in messages: quoted, and cut so a long name does not swamp the toast. */
export function quoteName(name: string): string {
  return `“${name.length > 40 ? `${name.slice(0, 39)}…` : name}”`;
}

/**
 * The export scale: at most 1 (never upscale), small enough that the longest side fits `maxInputSide`, and large
 * enough that the shortest side is at least one pixel (a 0.3 px line would otherwise export as nothing).
 */
export function exportScale(width: number, height: number, maxInputSide: number, name = 'The layer'): number {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  if (!(short > 0) || !Number.isFinite(long)) throw new PasticheError('bad-selection', `${name} has no size.`);
  let scale = Math.min(1, maxInputSide / long);
  if (short * scale < 1) scale = 1 / short;
  if (long * scale > maxInputSide + 0.5) {
    throw new PasticheError(
      'bad-selection',
      `${name} is too thin to export (${round2(width)} × ${round2(height)}): its sides are too far apart in size.`,
    );
  }
  return scale;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The node or one of its ancestors is hidden: it shows nothing on the canvas. */
export function isHidden(node: SceneNode): boolean {
  for (let current: BaseNode | null = node; current && current.type !== 'PAGE'; current = current.parent) {
    if ('visible' in current && !current.visible) return true;
  }
  return false;
}

/** Throws a typed 'bad-selection' error with a message a designer can act on, when the node cannot be a source. */
export function assertExportable(node: SceneNode): asserts node is SceneNode & ExportMixin {
  const name = quoteName(node.name);
  if (node.removed) throw new PasticheError('bad-selection', `The source layer was deleted. Select a layer and try again.`);
  if (!('exportAsync' in node) || typeof node.exportAsync !== 'function') {
    throw new PasticheError('bad-selection', `${name} cannot be exported as an image. Select another layer.`);
  }
  if (isHidden(node)) throw new PasticheError('bad-selection', `${name} is hidden. Show it, or select a visible layer.`);
  const { width, height } = documentSize(node);
  if (!(width > 0 && height > 0)) {
    throw new PasticheError('bad-selection', `${name} has no size (${round2(width)} × ${round2(height)}). Select a layer with a visible area.`);
  }
}

/**
 * The layer's pixels, its longest side at most `maxInputSide`; with `shortSide`, also no larger than needed for its
 * shorter side to be `shortSide` (a thumbnail for an embedding: hundreds of layers stay small).
 */
export async function exportLayer(node: SceneNode, maxInputSide: number, options: { shortSide?: number } = {}): Promise<ExportedLayer> {
  assertExportable(node);
  const { width, height } = documentSize(node);
  let scale = exportScale(width, height, maxInputSide, quoteName(node.name));
  if (options.shortSide) scale = Math.max(Math.min(scale, options.shortSide / Math.min(width, height)), 1 / Math.min(width, height));
  const png = await node.exportAsync({
    format: 'PNG',
    colorProfile: 'SRGB',
    // The full bounding box, whatever is cropped or empty, so pixel size = round(size * scale) as the UI assumes.
    useAbsoluteBounds: true,
    constraint: { type: 'SCALE', value: scale },
  });
  return { id: node.id, name: node.name, width, height, scale, png };
}

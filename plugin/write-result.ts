// `job-result`: draws a result as a NEW layer (the source is never touched), remembers the job on it for
// "Apply again", makes it one undo step, and (unless the settings say not to) selects it and scrolls to it.
// Only results the sandbox asked for are written (plugin/job-registry.ts): a result for a job it did not start, or
// that finished or was cancelled, is ignored without a word; one that does not match what was started is refused.
// The layout comes from the technique's spec: an image beside or on top of the source (default), or a fill layer
// that takes the source's shape (plugin/fill-layer.ts).
import { PasticheError } from '../techniques/errors';
import { parseParams, resultLayerName, techniqueSpec } from '../techniques/registry';
import type { ResultLayout, TechniqueSpec } from '../techniques/technique-spec';
import { checkLayout, createFillLayer, fillPaint } from './fill-layer';
import type { JobRegistry, OpenJob } from './job-registry';
import type { JobRequest, MessageType, UiToPlugin } from './messages';
import { absoluteBox, pageOf, toChildCoordinates } from './node-geometry';
import type { Rect } from '../techniques/geometry';
import { createLabelledRow, rowCells } from './labelled-row';
import { planResult } from './place-result';
import { reportJobError } from './report-error';
import { isSceneNode } from './resolve-sources';
import { validateTiles } from './result-tiles';
import { writeSavedJob } from './saved-job';
import { loadSettings } from './settings';
import { postToUi } from './ui-channel';

type JobResult = MessageType<UiToPlugin, 'job-result'>;

export const SOURCE_GONE = 'The source layer was deleted or moved to another page. Nothing was added.';

async function findSource(figma: PluginAPI, id: string, pageId: string): Promise<SceneNode> {
  const node = await figma.getNodeByIdAsync(id);
  if (!node || node.removed || !isSceneNode(node) || pageOf(node)?.id !== pageId) throw new PasticheError('bad-selection', SOURCE_GONE);
  return node;
}

function createImages(figma: PluginAPI, message: JobResult): Image[] {
  return message.tiles.map((tile) => {
    try {
      return figma.createImage(tile.png);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PasticheError(/large/i.test(reason) ? 'too-large' : 'bad-input', `Figma refused the result image: ${reason.slice(0, 200)}`);
    }
  });
}

/** Plain data (parameters) equal, whatever the order of keys. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The result says it comes from the job that was started: same technique, parameters, reference and placement. */
function checkSameJob(open: OpenJob, message: JobResult): void {
  const params = parseParams(message.job.technique, message.job.params);
  const same =
    message.job.technique === open.job.technique &&
    sameData(params, open.job.params) &&
    (message.job.referenceId ?? '') === (open.job.referenceId ?? '') &&
    message.placement === open.placement;
  if (!same) throw new PasticheError('bad-input', 'The result does not match the job that was started. Nothing was added.');
}

/** A result has the size of the pixels it was made from, unless the technique's parameters set its size. */
function checkSize(open: OpenJob, message: JobResult, spec: TechniqueSpec): void {
  if (spec.resultPixels) return; // any size (validateTiles bounds it)
  const sizes = open.sources.get(message.sourceId)?.pixelSizes ?? [];
  if (!sizes.some((s) => s.width === message.width && s.height === message.height)) {
    const sent = sizes[0] ? `${sizes[0].width} × ${sizes[0].height}` : 'another size';
    throw new PasticheError('bad-input', `The result is ${message.width} × ${message.height} px but its layer was sent at ${sent} px. Nothing was added.`);
  }
}

/** How the technique wants its result drawn (default: an image layer). */
export function resultLayout(job: Pick<JobRequest, 'technique' | 'params'>): ResultLayout {
  const spec = techniqueSpec(job.technique) as unknown as TechniqueSpec;
  return spec.layout ? checkLayout(spec.layout(job.params as never)) : { kind: 'image' };
}

/** Writes an image result and returns the new layer (a rectangle, or a group of one rectangle per tile). */
export function writeResult(figma: PluginAPI, source: SceneNode, message: JobResult, images: Image[]): SceneNode {
  // Where it goes is decided before any node exists, so the new nodes are never in their own way.
  const { target, box } = planResult(figma, source, message.placement, documentSizeOf(absoluteBox(source), message));
  // Result pixels -> document units: the result covers a box of the source's width (and height, when it has the
  // source's shape), whatever its pixel size.
  const sx = box.width / message.width;
  const sy = box.height / message.height;
  const created: SceneNode[] = [];
  try {
    const rects = message.tiles.map((tile, i) => {
      const rect = figma.createRectangle();
      created.push(rect);
      rect.resize(Math.max(0.01, tile.width * sx), Math.max(0.01, tile.height * sy));
      rect.x = tile.x * sx;
      rect.y = tile.y * sy;
      rect.fills = [{ type: 'IMAGE', imageHash: images[i].hash, scaleMode: 'FILL' }];
      return rect;
    });
    let result: SceneNode = rects[0];
    if (rects.length > 1) {
      rects.forEach((rect, i) => (rect.name = `Tile ${i + 1}`));
      result = figma.group(rects, figma.currentPage);
      created.push(result);
    }
    if (target.index === undefined) target.container.appendChild(result);
    else target.container.insertChild(target.index, result);
    if (target.absolutePositioning && 'layoutPositioning' in result) result.layoutPositioning = 'ABSOLUTE';
    const at = toChildCoordinates(target.container, box);
    const minX = Math.min(...message.tiles.map((t) => t.x)) * sx;
    const minY = Math.min(...message.tiles.map((t) => t.y)) * sy;
    result.x = at.x + minX;
    result.y = at.y + minY;
    return result;
  } catch (error) {
    // Leave the document as it was: no half-built result.
    for (const node of created.reverse()) if (!node.removed) node.remove();
    throw error;
  }
}

/**
 * The result's size in the document: the source's box when the result has the source's proportions (a restyled or
 * dreamed layer lies exactly over or beside it), else the source's width at the result's own proportions (a filter
 * sheet or a sweep strip is never squashed into the source's shape).
 */
function documentSizeOf(sourceBox: Rect, message: Pick<JobResult, 'width' | 'height'>): { width: number; height: number } {
  const sourceAspect = sourceBox.width / sourceBox.height;
  const resultAspect = message.width / message.height;
  if (Math.abs(resultAspect / sourceAspect - 1) < 0.02) return { width: sourceBox.width, height: sourceBox.height };
  return { width: sourceBox.width, height: sourceBox.width / resultAspect };
}

/** Selects the new layer and brings it into view, when it is on the page the user is looking at. */
function reveal(figma: PluginAPI, result: SceneNode): void {
  if (pageOf(result)?.id !== figma.currentPage.id) return;
  figma.currentPage.selection = [result];
  figma.viewport.scrollAndZoomIntoView([result]);
}

export async function handleJobResult(figma: PluginAPI, message: JobResult, jobs: JobRegistry): Promise<void> {
  // Claimed at once (before any await), so a second copy of the same result finds its source answered.
  const claim = jobs.claim(message.id, message.sourceId);
  if (claim.kind === 'ignore') return; // not a job we are waiting on: not ours, nothing to say
  if (claim.kind === 'not-a-source') {
    reportJobError(figma, message.id, new PasticheError('bad-input', 'The result is for a layer the job did not read. Nothing was added.'));
    return;
  }
  const { job: open, ticket } = claim;
  try {
    checkSameJob(open, message);
    const { technique, params, referenceId } = open.job; // what was started, not what came back
    const spec = techniqueSpec(technique) as unknown as TechniqueSpec;
    validateTiles(message.width, message.height, message.tiles);
    checkSize(open, message, spec);
    const layout = resultLayout(open.job);
    const cells = layout.kind === 'labelled-row' ? rowCells(message.tiles, message.facts?.cells) : undefined;
    if (layout.kind === 'fill-source' && message.tiles.length > 1) {
      throw new PasticheError(
        'too-large',
        `A fill is one image, and this result is ${message.width} × ${message.height} px in ${message.tiles.length} tiles. Nothing was added.`,
      );
    }
    const source = await findSource(figma, message.sourceId, open.pageId);
    // The reference (e.g. the style layer) is named in the result's name, so "layer style" says which layer.
    const reference = referenceId ? await figma.getNodeByIdAsync(referenceId) : null;
    const settings = await loadSettings(figma);
    if (ticket.cancelled) return; // cancelled while this result was on its way in: nothing is added

    const images = createImages(figma, message); // before any node exists, so a refusal leaves nothing behind
    const result =
      layout.kind === 'fill-source'
        ? createFillLayer(figma, source, fillPaint(images[0].hash, layout))
        : cells
          ? await createLabelledRow(figma, source, message.placement, cells, images, layout.kind === 'labelled-row' ? layout.columns : undefined)
          : writeResult(figma, source, message, images);
    try {
      result.name = resultLayerName(source.name, technique, params as never, { ...message.facts, referenceName: reference && !reference.removed ? reference.name : undefined });
      writeSavedJob(result, referenceId ? { technique, params, sourceId: source.id, referenceId } : { technique, params, sourceId: source.id });
    } catch (error) {
      if (!result.removed) result.remove();
      throw error;
    }
    // One undo step per result: the next Cmd+Z removes exactly this layer.
    figma.commitUndo();
    if (settings.revealResult) reveal(figma, result);
    postToUi(figma, { type: 'job-done', id: message.id, sourceId: source.id, resultId: result.id, resultName: result.name });
  } catch (error) {
    if (!ticket.cancelled) reportJobError(figma, message.id, error);
  } finally {
    jobs.release(ticket);
  }
}

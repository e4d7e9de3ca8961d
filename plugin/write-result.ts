// `job-result`: draws a result as a NEW layer (the source is never touched), remembers the job on it for
// "Apply again", and makes it one undo step.
import { PasticheError } from '../techniques/errors';
import { resultLayerName } from '../techniques/registry';
import type { MessageType, UiToPlugin } from './messages';
import { toChildCoordinates } from './node-geometry';
import { chooseTarget, resultBox } from './place-result';
import { reportJobError } from './report-error';
import { isSceneNode } from './resolve-sources';
import { validateTiles } from './result-tiles';
import { validJob } from './run-job';
import { writeSavedJob } from './saved-job';
import { postToUi } from './ui-channel';

type JobResult = MessageType<UiToPlugin, 'job-result'>;

async function findSource(figma: PluginAPI, id: string): Promise<SceneNode> {
  const node = await figma.getNodeByIdAsync(id);
  if (!node || node.removed || !isSceneNode(node)) {
    throw new PasticheError('bad-selection', 'The source layer was deleted while the effect was running. Nothing was added.');
  }
  return node;
}

function createImages(figma: PluginAPI, message: JobResult): Image[] {
  return message.tiles.map((tile) => {
    try {
      return figma.createImage(tile.png);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new PasticheError(/large/i.test(reason) ? 'too-large' : 'bad-input', `Figma refused the result image: ${reason}`);
    }
  });
}

/** Writes the result and returns the new layer (a rectangle, or a group of one rectangle per tile). */
export function writeResult(figma: PluginAPI, source: SceneNode, message: JobResult, images: Image[], referenceName?: string): SceneNode {
  const box = resultBox(source, message.placement);
  // Result pixels -> document units: the whole result covers the source's box, whatever its pixel size.
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

    const target = chooseTarget(figma, source, message.placement);
    if (target.index === undefined) target.container.appendChild(result);
    else target.container.insertChild(target.index, result);
    if (target.absolutePositioning && 'layoutPositioning' in result) result.layoutPositioning = 'ABSOLUTE';
    const at = toChildCoordinates(target.container, box);
    const minX = Math.min(...message.tiles.map((t) => t.x)) * sx;
    const minY = Math.min(...message.tiles.map((t) => t.y)) * sy;
    result.x = at.x + minX;
    result.y = at.y + minY;
    const { technique, params, referenceId } = message.job;
    result.name = resultLayerName(source.name, technique, params as never, { ...message.facts, referenceName });
    writeSavedJob(result, referenceId ? { technique, params, sourceId: source.id, referenceId } : { technique, params, sourceId: source.id });
    return result;
  } catch (error) {
    // Leave the document as it was: no half-built result.
    for (const node of created.reverse()) if (!node.removed) node.remove();
    throw error;
  }
}

export async function handleJobResult(figma: PluginAPI, message: JobResult): Promise<void> {
  try {
    message = { ...message, job: validJob(message.job) };
    const source = await findSource(figma, message.sourceId);
    validateTiles(message.width, message.height, message.tiles);
    const images = createImages(figma, message); // before any node exists, so a refusal leaves nothing behind
    // The reference (e.g. the style layer) is named in the result's name, so "layer style" says which layer.
    const reference = message.job.referenceId ? await figma.getNodeByIdAsync(message.job.referenceId) : null;
    const result = writeResult(figma, source, message, images, reference && !reference.removed ? reference.name : undefined);
    // One undo step per result: the next Cmd+Z removes exactly this layer.
    figma.commitUndo();
    postToUi(figma, { type: 'job-done', id: message.id, sourceId: source.id, resultId: result.id, resultName: result.name });
  } catch (error) {
    reportJobError(figma, message.id, error);
  }
}

// `collection-result`: acts on the answer of a technique over many layers. A ranking selects the best matches on the
// canvas and brings them into view (the panel lists them all with their scores); an arrangement becomes a NEW
// frame beside the layers holding copies of them (clone(): no re-encoding) on the answer's grid: the originals are
// not moved, and one undo removes the frame. Only answers the sandbox asked for are used (plugin/job-registry.ts),
// and only about layers the job read.
import { PasticheError } from '../techniques/errors';
import { describeJob, parseParams } from '../techniques/registry';
import { gridFrames } from '../techniques/tsne/frames';
import type { Rect } from '../techniques/geometry';
import { ARRANGEMENT_KEY } from './collect-layers';
import { quoteName } from './export-layer';
import type { JobRegistry, OpenJob } from './job-registry';
import type { CollectionResultMessage, MessageType, UiToPlugin } from './messages';
import { absoluteBox, pageOf } from './node-geometry';
import { BESIDE_GAP, findFreeSpot, obstaclesAround } from './place-result';
import { reportJobError } from './report-error';
import { isSceneNode } from './resolve-sources';
import { loadSettings } from './settings';
import { postToUi } from './ui-channel';
import { sameData } from './write-result';

type CollectionMessage = MessageType<UiToPlugin, 'collection-result'>;

export const LAYERS_GONE = 'Some of the layers were deleted or moved to another page. Nothing was added.';

export async function handleCollectionResult(figma: PluginAPI, message: CollectionMessage, jobs: JobRegistry): Promise<void> {
  const claim = jobs.claim(message.id, message.sourceId);
  if (claim.kind === 'ignore') return;
  if (claim.kind === 'not-a-source') {
    reportJobError(figma, message.id, new PasticheError('bad-input', 'The answer is for a layer the job did not read. Nothing was changed.'));
    return;
  }
  const { job: open, ticket } = claim;
  try {
    const params = parseParams(message.job.technique, message.job.params);
    if (message.job.technique !== open.job.technique || !sameData(params, open.job.params) || !open.items) {
      throw new PasticheError('bad-input', 'The answer does not match the job that was started. Nothing was changed.');
    }
    checkIds(message.result, open.items);
    const settings = await loadSettings(figma);
    if (ticket.cancelled) return;
    if (message.result.kind === 'ranking') {
      const top = (open.job.params as { top?: number }).top ?? 5;
      const { selected, names } = await selectMatches(figma, open, message.sourceId, message.result.ranked, top);
      postToUi(figma, { type: 'job-done', id: message.id, sourceId: message.sourceId, resultId: message.sourceId, resultName: `${selected} selected: ${names}` });
    } else {
      const frame = await buildArrangement(figma, open, message.result.cells);
      frame.name = `${describeJob(open.job.technique, open.job.params as never)} — ${message.result.cells.length} layers`;
      figma.commitUndo(); // one undo removes the frame and its copies
      if (settings.revealResult && pageOf(frame)?.id === figma.currentPage.id) {
        figma.currentPage.selection = [frame];
        figma.viewport.scrollAndZoomIntoView([frame]);
      }
      postToUi(figma, { type: 'job-done', id: message.id, sourceId: message.sourceId, resultId: frame.id, resultName: frame.name });
    }
  } catch (error) {
    if (!ticket.cancelled) reportJobError(figma, message.id, error);
  } finally {
    jobs.release(ticket);
  }
}

/** Every id is one the job read, each once; an arrangement places every layer read, in distinct cells. */
function checkIds(result: CollectionResultMessage, items: ReadonlySet<string>): void {
  const ids = result.kind === 'ranking' ? result.ranked.map((r) => r.id) : result.cells.map((c) => c.id);
  const unique = new Set(ids);
  const known = ids.every((id) => items.has(id));
  const complete = result.kind === 'ranking' || unique.size === items.size;
  const cellsDistinct = result.kind === 'ranking' || new Set(result.cells.map((c) => `${c.col},${c.row}`)).size === result.cells.length;
  if (unique.size !== ids.length || !known || !complete || !cellsDistinct) {
    throw new PasticheError('bad-input', 'The answer names layers the job did not read, or names one twice. Nothing was changed.');
  }
}

async function liveNode(figma: PluginAPI, id: string, pageId: string): Promise<SceneNode | null> {
  const node = await figma.getNodeByIdAsync(id);
  return node && !node.removed && isSceneNode(node) && pageOf(node)?.id === pageId ? node : null;
}

/** Selects the `top` best matches still on the page and brings them into view. */
async function selectMatches(figma: PluginAPI, open: OpenJob, queryId: string, ranked: readonly { id: string; score: number }[], top: number) {
  const matches: SceneNode[] = [];
  for (const { id } of ranked) {
    if (matches.length >= top) break;
    const node = await liveNode(figma, id, open.pageId);
    if (node) matches.push(node);
  }
  if (matches.length === 0) throw new PasticheError('bad-selection', LAYERS_GONE);
  const query = await liveNode(figma, queryId, open.pageId);
  const page = pageOf(matches[0])!;
  page.selection = matches;
  if (page.id === figma.currentPage.id) figma.viewport.scrollAndZoomIntoView(matches);
  const names = matches.map((node) => quoteName(node.name)).join(', ');
  figma.notify(`Selected the ${matches.length} layer${matches.length === 1 ? '' : 's'} most like ${query ? quoteName(query.name) : 'the query'}`);
  return { selected: matches.length, names };
}

/** The side of a grid cell: the typical layer's size, so thumbnails are neither specks nor posters. */
function cellSide(sizes: readonly { width: number; height: number }[]): number {
  const sides = sizes.map((s) => Math.max(s.width, s.height)).sort((a, b) => a - b);
  return Math.round(Math.min(320, Math.max(48, sides[Math.floor(sides.length / 2)])));
}

async function buildArrangement(figma: PluginAPI, open: OpenJob, cells: readonly { id: string; col: number; row: number }[]): Promise<FrameNode> {
  const nodes: SceneNode[] = [];
  for (const cell of cells) {
    const node = await liveNode(figma, cell.id, open.pageId);
    if (!node) throw new PasticheError('bad-selection', LAYERS_GONE);
    nodes.push(node);
  }
  const page = pageOf(nodes[0])!;
  // Copies stand upright in their cells: the size that matters is the unrotated one.
  const sizes = nodes.map((node) => ('width' in node ? { width: node.width, height: node.height } : absoluteBox(node)));
  const cell = cellSide(sizes);
  const gap = Math.max(8, Math.round(cell / 10));
  const layout = gridFrames(cells, sizes, { cellSize: cell, gap });
  const frameSize = { width: layout.width + 2 * gap, height: layout.height + 2 * gap };
  const spot = findFreeSpot(unionOf(nodes.map(absoluteBox)), obstaclesAround(page), BESIDE_GAP, frameSize);

  const frame = figma.createFrame();
  try {
    page.appendChild(frame);
    frame.setPluginData(ARRANGEMENT_KEY, '1');
    frame.resize(frameSize.width, frameSize.height);
    frame.x = spot.x;
    frame.y = spot.y;
    nodes.forEach((node, i) => {
      const copy = node.clone();
      frame.appendChild(copy);
      if ('rotation' in copy && copy.rotation !== 0) copy.rotation = 0;
      const box = layout.frames[i];
      const scale = box.width / Math.max(0.01, sizes[i].width);
      if ('rescale' in copy && typeof copy.rescale === 'function') copy.rescale(scale);
      else if ('resize' in copy) copy.resize(box.width, box.height);
      copy.x = gap + box.x;
      copy.y = gap + box.y;
    });
    return frame;
  } catch (error) {
    if (!frame.removed) frame.remove(); // no half-built arrangement
    throw error;
  }
}

function unionOf(boxes: readonly Rect[]): Rect {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return { x, y, width: Math.max(...boxes.map((b) => b.x + b.width)) - x, height: Math.max(...boxes.map((b) => b.y + b.height)) - y };
}

/** `focus-layer`: a row of the "find similar" list was clicked. */
export async function focusLayer(figma: PluginAPI, layerId: string): Promise<void> {
  const node = await figma.getNodeByIdAsync(layerId);
  if (!node || node.removed || !isSceneNode(node) || pageOf(node)?.id !== figma.currentPage.id) {
    figma.notify('That layer was deleted or is on another page.');
    return;
  }
  figma.currentPage.selection = [node];
  figma.viewport.scrollAndZoomIntoView([node]);
}

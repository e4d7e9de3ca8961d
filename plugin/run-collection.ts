// `run-job` for a technique over many layers (find similar, arrange): the layers it reads (plugin/collect-layers.ts)
// exported small, with progress while a page of hundreds of images is read and a cancel honoured between layers,
// then the job kept open for its one answer. The answer is named by an anchor layer (the query, or the first layer)
// so the job registry treats it like any single result.
import { PasticheError } from '../techniques/errors';
import type { CollectionPlan } from '../techniques/technique-spec';
import { collectLayers } from './collect-layers';
import { exportLayer } from './export-layer';
import type { JobTicket, OpenJob } from './job-registry';
import type { ExportedLayer, JobRequest, MessageType, PluginToUi, UiToPlugin } from './messages';
import { postToUi } from './ui-channel';

/** The part of the job's progress bar that reading the layers fills (the engine's work fills the rest). */
export const READING_SHARE = 0.25;
/** A progress message at most this often while exporting (each one crosses to the UI). */
const PROGRESS_EVERY_MS = 200;

export interface CollectionJob {
  open: OpenJob;
  input: MessageType<PluginToUi, 'collection-input'>;
}

export async function exportCollection(
  figma: PluginAPI,
  message: MessageType<UiToPlugin, 'run-job'>,
  ticket: JobTicket,
  job: JobRequest,
  plan: CollectionPlan & { label: string; maxInputSide: number },
): Promise<CollectionJob | null> {
  const page = figma.currentPage;
  const { query, items } = collectLayers(page.selection.slice(), plan, plan.label);
  const exportSmall = (node: SceneNode) => exportLayer(node, plan.maxInputSide, { shortSide: plan.side });

  const queryLayer = query ? await exportSmall(query) : undefined;
  const exported: ExportedLayer[] = [];
  let lastReport = 0;
  for (const node of items) {
    if (ticket.cancelled) return null;
    exported.push(await exportSmall(node));
    const now = Date.now();
    if (now - lastReport >= PROGRESS_EVERY_MS || exported.length === items.length) {
      lastReport = now;
      const fraction = (READING_SHARE * exported.length) / items.length;
      postToUi(figma, { type: 'job-progress', id: message.id, fraction, message: `reading layers: ${exported.length} of ${items.length}` });
    }
  }
  const anchor = queryLayer?.id ?? exported[0]?.id;
  if (!anchor) throw new PasticheError('bad-selection', 'There are no layers to read.');
  const open: OpenJob = {
    id: message.id,
    pageId: page.id,
    job,
    placement: message.placement,
    sources: new Map([[anchor, { id: anchor, pixelSizes: [] }]]),
    answered: new Set(),
    items: new Set(exported.map((layer) => layer.id)),
  };
  const input: CollectionJob['input'] = { type: 'collection-input', id: message.id, job, anchor, items: exported, ...(queryLayer ? { query: queryLayer } : {}) };
  return { open, input };
}

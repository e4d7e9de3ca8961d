// `run-job`: resolves and checks the layers to work on and sends their pixels to the UI (`job-input`), then keeps
// the job (plugin/job-registry.ts) so that only its own results are written. Nothing is exported until every layer
// has passed the checks, so one bad layer fails fast and cleanly; nothing is ever exported from another page, and
// the reference is only ever a layer the user picked (selected, or saved on the result being applied again).
import { PasticheError } from '../techniques/errors';
import { parseParams, techniqueSpec } from '../techniques/registry';
import type { TechniqueSpec } from '../techniques/technique-spec';
import type { ExportedLayer, JobRequest, MessageType, UiToPlugin } from './messages';
import { assertExportable, exportLayer, quoteName } from './export-layer';
import type { JobRegistry, JobTicket, OpenJob, PixelSize } from './job-registry';
import { pageOf } from './node-geometry';
import { readPngSize } from './png-header';
import { reportJobError } from './report-error';
import { isSceneNode, resolveJobSources } from './resolve-sources';
import { exportCollection } from './run-collection';
import { readSavedJob } from './saved-job';
import { postToUi } from './ui-channel';

/** The job with its parameters checked and completed by the technique's schema (a typed error otherwise). */
export function validJob(job: JobRequest): JobRequest {
  return { ...job, params: parseParams(job.technique, job.params) };
}

/** The pixel sizes a result of the same size as this export may have: the PNG's own, and what the UI computes. */
export function exportedPixelSizes(layer: ExportedLayer): PixelSize[] {
  const sizes: PixelSize[] = [];
  const header = readPngSize(layer.png);
  if (header) sizes.push(header);
  const computed = { width: Math.max(1, Math.round(layer.width * layer.scale)), height: Math.max(1, Math.round(layer.height * layer.scale)) };
  if (!header || header.width !== computed.width || header.height !== computed.height) sizes.push(computed);
  return sizes;
}

export async function handleRunJob(figma: PluginAPI, message: MessageType<UiToPlugin, 'run-job'>, jobs: JobRegistry): Promise<void> {
  let ticket: JobTicket | undefined;
  try {
    ticket = jobs.begin(message.id);
    // What the user had when they clicked Run: the page and its selection (both may change while we export).
    const page = figma.currentPage;
    const selection = page.selection.slice();
    const reapply = message.reapply === true;
    const job = validJob(message.job);
    const spec = techniqueSpec(job.technique) as unknown as TechniqueSpec;
    if (spec.collection) {
      const collection = await exportCollection(figma, message, ticket, job, { ...spec.collection, label: spec.label, maxInputSide: spec.maxInputSide });
      if (!collection || !jobs.publish(ticket, collection.open)) return; // cancelled while exporting
      postToUi(figma, collection.input);
      return;
    }
    // A reference is read only when the parameters ask for one (e.g. a style "layer").
    const referenceId = spec.reference?.wanted(job.params as never) ? job.referenceId : undefined;
    const selected = await resolveJobSources(figma, selection, reapply);
    // The reference (e.g. the style layer) is read, not worked on: it may sit outside the selection on "Apply again".
    const nodes = selected.filter((node) => node.id !== referenceId);
    const referenceNode = referenceId && spec.reference ? await resolveReference(figma, referenceId, spec.reference.role, page, allowedReferences(selection, reapply)) : undefined;
    if (nodes.length === 0) throw new PasticheError('bad-selection', `Select the layer to work on as well as the ${spec.reference?.role ?? 'reference'} layer.`);
    for (const node of nodes) {
      assertExportable(node);
      if (pageOf(node)?.id !== page.id) {
        throw new PasticheError('bad-selection', `${quoteName(node.name)} is on another page. Open its page, or select layers on this one.`);
      }
    }
    const sources: ExportedLayer[] = [];
    for (const node of nodes) sources.push(await exportLayer(node, spec.maxInputSide));
    const reference = referenceNode && spec.reference ? await exportLayer(referenceNode, spec.reference.maxSide) : undefined;
    const request: JobRequest = referenceId ? { ...job, referenceId } : { technique: job.technique, params: job.params };
    const open: OpenJob = {
      id: message.id,
      pageId: page.id,
      job: request,
      placement: message.placement,
      sources: new Map(sources.map((source) => [source.id, { id: source.id, pixelSizes: exportedPixelSizes(source) }])),
      answered: new Set(),
    };
    if (!jobs.publish(ticket, open)) return; // cancelled while exporting: the UI has moved on
    postToUi(figma, { type: 'job-input', id: message.id, job: request, placement: message.placement, sources, ...(reference ? { reference } : {}) });
  } catch (error) {
    if (ticket) jobs.drop(ticket);
    if (ticket?.cancelled) return;
    reportJobError(figma, message.id, error);
  }
}

/** The layers that may be the reference: the selected ones, and on "Apply again" the references saved on selected results. */
function allowedReferences(selection: ReadonlyArray<SceneNode>, reapply: boolean): Set<string> {
  const ids = new Set(selection.map((node) => node.id));
  if (reapply) {
    for (const node of selection) {
      const saved = readSavedJob(node)?.referenceId;
      if (saved) ids.add(saved);
    }
  }
  return ids;
}

async function resolveReference(figma: PluginAPI, id: string, role: string, page: PageNode, allowed: Set<string>): Promise<SceneNode> {
  const node = await figma.getNodeByIdAsync(id);
  if (!node || node.removed || !isSceneNode(node)) {
    throw new PasticheError('bad-selection', `The ${role} layer was deleted. Pick a ${role} again.`);
  }
  if (!allowed.has(id)) throw new PasticheError('bad-selection', `Select the ${role} layer together with the layer to work on.`);
  if (pageOf(node)?.id !== page.id) throw new PasticheError('bad-selection', `The ${role} layer is on another page. Pick a ${role} on this page.`);
  assertExportable(node);
  return node;
}

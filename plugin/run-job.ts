// `run-job`: resolves and checks the layers to work on and sends their pixels to the UI (`job-input`).
// Nothing is exported until every layer has passed the checks, so one bad layer fails fast and cleanly.
import { PasticheError } from '../techniques/errors';
import { parseParams, techniqueSpec } from '../techniques/registry';
import type { TechniqueSpec } from '../techniques/technique-spec';
import type { JobRequest, MessageType, UiToPlugin } from './messages';
import { assertExportable, exportLayer } from './export-layer';
import { reportJobError } from './report-error';
import { resolveJobSources } from './resolve-sources';
import { postToUi } from './ui-channel';

/** The job with its parameters checked and completed by the technique's schema (a typed error otherwise). */
export function validJob(job: JobRequest): JobRequest {
  return { ...job, params: parseParams(job.technique, job.params) };
}

export async function handleRunJob(figma: PluginAPI, message: MessageType<UiToPlugin, 'run-job'>): Promise<void> {
  try {
    const job = validJob(message.job);
    const spec = techniqueSpec(job.technique) as unknown as TechniqueSpec;
    // A reference is read only when the parameters ask for one (e.g. a style "layer").
    const referenceId = spec.reference?.wanted(job.params as never) ? job.referenceId : undefined;
    const selected = await resolveJobSources(figma, figma.currentPage.selection, message.reapply === true);
    // The reference (e.g. the style layer) is read, not worked on: it may sit outside the selection on "Apply again".
    const nodes = selected.filter((node) => node.id !== referenceId);
    const referenceNode = referenceId && spec.reference ? await resolveReference(figma, referenceId, spec.reference.role) : undefined;
    if (nodes.length === 0) throw new PasticheError('bad-selection', `Select the layer to work on as well as the ${spec.reference?.role ?? 'reference'} layer.`);
    nodes.forEach((node) => assertExportable(node));
    const sources = [];
    for (const node of nodes) sources.push(await exportLayer(node, spec.maxInputSide));
    const reference = referenceNode && spec.reference ? await exportLayer(referenceNode, spec.reference.maxSide) : undefined;
    const request = referenceId ? { ...job, referenceId } : { technique: job.technique, params: job.params };
    postToUi(figma, { type: 'job-input', id: message.id, job: request, placement: message.placement, sources, ...(reference ? { reference } : {}) });
  } catch (error) {
    reportJobError(figma, message.id, error);
  }
}

async function resolveReference(figma: PluginAPI, id: string, role: string): Promise<SceneNode> {
  const node = await figma.getNodeByIdAsync(id);
  if (!node || node.removed || node.type === 'DOCUMENT' || node.type === 'PAGE') {
    throw new PasticheError('bad-selection', `The ${role} layer was deleted. Pick a ${role} again.`);
  }
  assertExportable(node as SceneNode);
  return node as SceneNode;
}

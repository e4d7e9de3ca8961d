// `run-job`: resolves and checks the layers to work on and sends their pixels to the UI (`job-input`).
// Nothing is exported until every layer has passed the checks, so one bad layer fails fast and cleanly.
import { PasticheError } from '../techniques/errors';
import { isTechniqueId, techniqueSpec } from '../techniques/catalog';
import { MAX_REFERENCE_SIDE, type MessageType, type UiToPlugin } from './messages';
import { assertExportable, exportLayer } from './export-layer';
import { reportJobError } from './report-error';
import { resolveJobSources } from './resolve-sources';
import { postToUi } from './ui-channel';

export function assertValidJob(job: { technique: unknown; params: unknown }): void {
  if (!isTechniqueId(job.technique)) throw new PasticheError('bad-params', `Unknown technique "${String(job.technique)}".`);
  const problem = techniqueSpec(job.technique).validate(job.params as never);
  if (problem) throw new PasticheError('bad-params', problem);
}

export async function handleRunJob(figma: PluginAPI, message: MessageType<UiToPlugin, 'run-job'>): Promise<void> {
  try {
    assertValidJob(message.job);
    const { referenceId } = message.job;
    const selected = await resolveJobSources(figma, figma.currentPage.selection, message.reapply === true);
    // The reference (e.g. the style layer) is read, not worked on: it may sit outside the selection on "Apply again".
    const nodes = selected.filter((node) => node.id !== referenceId);
    const referenceNode = referenceId ? await resolveReference(figma, referenceId) : undefined;
    if (nodes.length === 0) throw new PasticheError('bad-selection', 'Select the layer to apply the style to as well.');
    nodes.forEach((node) => assertExportable(node));
    const { maxInputSide } = techniqueSpec(message.job.technique);
    const sources = [];
    for (const node of nodes) sources.push(await exportLayer(node, maxInputSide));
    const reference = referenceNode ? await exportLayer(referenceNode, MAX_REFERENCE_SIDE) : undefined;
    postToUi(figma, { type: 'job-input', id: message.id, job: message.job, placement: message.placement, sources, ...(reference ? { reference } : {}) });
  } catch (error) {
    reportJobError(figma, message.id, error);
  }
}

async function resolveReference(figma: PluginAPI, id: string): Promise<SceneNode> {
  const node = await figma.getNodeByIdAsync(id);
  if (!node || node.removed || node.type === 'DOCUMENT' || node.type === 'PAGE') {
    throw new PasticheError('bad-selection', 'The style layer was deleted. Pick a style again.');
  }
  assertExportable(node as SceneNode);
  return node as SceneNode;
}

// `run-job`: resolves and checks the layers to work on and sends their pixels to the UI (`job-input`).
// Nothing is exported until every layer has passed the checks, so one bad layer fails fast and cleanly.
import { PasticheError } from '../techniques/errors';
import { isTechniqueId, techniqueSpec } from '../techniques/catalog';
import type { MessageType, UiToPlugin } from './messages';
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
    const nodes = await resolveJobSources(figma, figma.currentPage.selection, message.reapply === true);
    nodes.forEach((node) => assertExportable(node));
    const { maxInputSide } = techniqueSpec(message.job.technique);
    const sources = [];
    for (const node of nodes) sources.push(await exportLayer(node, maxInputSide));
    postToUi(figma, { type: 'job-input', id: message.id, job: message.job, placement: message.placement, sources });
  } catch (error) {
    reportJobError(figma, message.id, error);
  }
}

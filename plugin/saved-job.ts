// The job a result layer remembers (pluginData JOB_DATA_KEY, JSON), so "Apply again" can re-run it and the UI can
// tell a Pastiche result from any other layer.
import { JOB_DATA_KEY, RELAUNCH_COMMAND, type SavedJob } from './messages';
import { isTechniqueId, techniqueSpec } from '../techniques/catalog';

type PluginDataNode = Pick<BaseNode, 'getPluginData'>;

/** The saved job of a node, or undefined when it is not a (valid) Pastiche result. */
export function readSavedJob(node: PluginDataNode): SavedJob | undefined {
  const raw = node.getPluginData(JOB_DATA_KEY);
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { technique, params, sourceId, referenceId } = value as Record<string, unknown>;
    if (!isTechniqueId(technique) || typeof sourceId !== 'string' || typeof params !== 'object' || params === null) {
      return undefined;
    }
    const job = { technique, params: { ...techniqueSpec(technique).defaults, ...params }, sourceId } as SavedJob;
    return typeof referenceId === 'string' ? { ...job, referenceId } : job;
  } catch {
    return undefined; // someone else's or a corrupt value: not ours
  }
}

/** "Blur (radius 8px)": what the relaunch button of a result shows next to "Apply again". */
export function relaunchDescription(job: Pick<SavedJob, 'technique' | 'params'>): string {
  const spec = techniqueSpec(job.technique);
  const settings = spec.describe(job.params);
  return settings ? `${spec.label} (${settings})` : spec.label;
}

export function writeSavedJob(node: Pick<BaseNode, 'setPluginData' | 'setRelaunchData'>, job: SavedJob): void {
  node.setPluginData(JOB_DATA_KEY, JSON.stringify(job));
  node.setRelaunchData({ [RELAUNCH_COMMAND]: relaunchDescription(job) });
}

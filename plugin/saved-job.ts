// The job a result layer remembers (pluginData JOB_DATA_KEY, JSON), so "Apply again" can re-run it and the UI can
// tell a Pastiche result from any other layer.
import * as v from 'valibot';
import { describeJob, repairStoredParams } from '../techniques/registry';
import { JOB_DATA_KEY, RELAUNCH_COMMAND, savedJobSchema, type SavedJob } from './messages';

type PluginDataNode = Pick<BaseNode, 'getPluginData'>;

/** The saved job of a node (its parameters repaired against today's schema), or undefined when it is not ours. */
export function readSavedJob(node: PluginDataNode): SavedJob | undefined {
  const raw = node.getPluginData(JOB_DATA_KEY);
  if (!raw) return undefined;
  try {
    const parsed = v.safeParse(savedJobSchema, JSON.parse(raw));
    if (!parsed.success || typeof parsed.output.params !== 'object' || parsed.output.params === null) return undefined;
    return { ...parsed.output, params: repairStoredParams(parsed.output.technique, parsed.output.params) };
  } catch {
    return undefined; // someone else's or a corrupt value: not ours
  }
}

/** "Blur (radius 8px)": what the relaunch button of a result shows next to "Apply again". */
export function relaunchDescription(job: Pick<SavedJob, 'technique' | 'params'>): string {
  return describeJob(job.technique, job.params as never);
}

export function writeSavedJob(node: Pick<BaseNode, 'setPluginData' | 'setRelaunchData'>, job: SavedJob): void {
  node.setPluginData(JOB_DATA_KEY, JSON.stringify(job));
  node.setRelaunchData({ [RELAUNCH_COMMAND]: relaunchDescription(job) });
}

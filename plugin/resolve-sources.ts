// Which layers a job runs on. Normally the selection as it is; for "Apply again" (reapply), when every selected
// layer is a Pastiche result, the job runs on the layers they were made from, so the settings go to the original.
import { PasticheError } from '../techniques/errors';
import { readSavedJob } from './saved-job';
import { quoteName } from './export-layer';

export async function resolveJobSources(figma: PluginAPI, selection: ReadonlyArray<SceneNode>, reapply: boolean): Promise<SceneNode[]> {
  if (selection.length === 0) throw new PasticheError('no-selection', 'Select a layer first.');
  if (!reapply) return [...selection];
  const jobs = selection.map((node) => readSavedJob(node));
  if (jobs.some((job) => !job)) return [...selection];

  const sources: SceneNode[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < selection.length; i++) {
    const sourceId = jobs[i]!.sourceId;
    // dynamic-page: the async lookup is the only one allowed, and the source may sit on another page.
    const source = await figma.getNodeByIdAsync(sourceId);
    if (!source || source.removed || !isSceneNode(source)) {
      throw new PasticheError(
        'bad-selection',
        `The source layer of ${quoteName(selection[i].name)} was deleted. Select a layer to apply the effect to.`,
      );
    }
    if (!seen.has(source.id)) sources.push(source);
    seen.add(source.id);
  }
  return sources;
}

export function isSceneNode(node: BaseNode): node is SceneNode {
  return node.type !== 'DOCUMENT' && node.type !== 'PAGE';
}

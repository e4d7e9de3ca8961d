// Which layers a job runs on. Normally the selection as it is. For "Apply again" (reapply) the settings of a result
// go to a new selection: the selected layers that are not Pastiche results; or, when only results are selected,
// the layers they were made from.
import { PasticheError } from '../techniques/errors';
import { readSavedJob } from './saved-job';
import { quoteName } from './export-layer';

export async function resolveJobSources(figma: PluginAPI, selection: ReadonlyArray<SceneNode>, reapply: boolean): Promise<SceneNode[]> {
  if (selection.length === 0) throw new PasticheError('no-selection', 'Select a layer first.');
  if (!reapply) return [...selection];
  const jobs = selection.map((node) => readSavedJob(node));
  const others = selection.filter((_, i) => !jobs[i]);
  if (others.length > 0) return others;

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

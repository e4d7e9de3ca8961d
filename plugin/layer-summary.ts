// What the UI is told about the selected layers: enough to show names, sizes and whether a layer is a result.
import type { LayerSummary } from './messages';
import { documentSize } from './node-geometry';
import { readSavedJob } from './saved-job';

export function summarizeLayer(node: SceneNode): LayerSummary {
  const { width, height } = documentSize(node);
  const job = readSavedJob(node);
  return job ? { id: node.id, name: node.name, width, height, job } : { id: node.id, name: node.name, width, height };
}

export function summarizeSelection(figma: PluginAPI): LayerSummary[] {
  return figma.currentPage.selection.map(summarizeLayer);
}

// Which layers a technique over many layers reads (CollectionPlan.scope in techniques/technique-spec.ts):
// - 'page': the one selected layer is the query; the candidates are every visible image layer of its page (a photo
//   in Figma is a shape or frame with an IMAGE fill), except the query, what contains it or lies inside it, and
//   the copies inside Pastiche's own arrangements (they would only find their originals);
// - 'selection': the selected layers, or, when one frame or group is selected, the visible layers inside it.
// Layers that cannot be exported (hidden, no size) are left out; too few or too many is a clear error.
import { PasticheError } from '../techniques/errors';
import type { CollectionPlan } from '../techniques/technique-spec';
import { assertExportable, isHidden, quoteName } from './export-layer';
import { pageOf } from './node-geometry';

/** pluginData key marking a frame made by "Arrange by similarity" (its contents are copies). */
export const ARRANGEMENT_KEY = 'pastiche-arrangement';

export interface CollectedLayers {
  query?: SceneNode;
  items: SceneNode[];
}

/** The layer shows an image: a visible IMAGE paint among its fills. */
export function showsImage(node: SceneNode): boolean {
  if (!('fills' in node)) return false;
  const fills = node.fills;
  return Array.isArray(fills) && fills.some((paint: Paint) => paint.type === 'IMAGE' && paint.visible !== false && (paint.opacity ?? 1) > 0);
}

/** `node` lies (at any depth) inside `container`. Compared by id: Figma may hand out several objects for one node. */
function isInside(node: BaseNode, container: BaseNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent.id === container.id) return true;
  return false;
}

function canExport(node: SceneNode): boolean {
  try {
    assertExportable(node);
    return true;
  } catch {
    return false;
  }
}

const isArrangement = (node: BaseNode) => node.getPluginData(ARRANGEMENT_KEY) !== '';

/** Visible image layers under `container`, in layer order, not descending into hidden layers or `skip`ped ones. */
export function imageLayersIn(container: BaseNode & ChildrenMixin, skip: (node: SceneNode) => boolean): SceneNode[] {
  const found: SceneNode[] = [];
  const visit = (node: SceneNode) => {
    if (skip(node) || ('visible' in node && !node.visible)) return;
    if (showsImage(node)) found.push(node);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  for (const child of container.children) visit(child as SceneNode);
  return found;
}

export function collectLayers(selection: ReadonlyArray<SceneNode>, plan: CollectionPlan, label: string): CollectedLayers {
  const collected = plan.scope === 'page' ? pageCandidates(selection, label) : selectedLayers(selection);
  const { items } = collected;
  if (items.length < plan.minItems) {
    throw new PasticheError(
      'bad-selection',
      plan.scope === 'page'
        ? `There is no other image layer on this page to compare ${quoteName(collected.query!.name)} with.`
        : `Select at least ${plan.minItems} layers (or one frame holding them) to ${label.toLowerCase()}.`,
    );
  }
  if (items.length > plan.maxItems) {
    throw new PasticheError('too-large', `${label} reads at most ${plan.maxItems} layers, and there are ${items.length}. Select fewer, or split them across frames.`);
  }
  return collected;
}

function pageCandidates(selection: ReadonlyArray<SceneNode>, label: string): CollectedLayers {
  if (selection.length !== 1) throw new PasticheError('bad-selection', `Select one layer: ${label.toLowerCase()} looks for layers like it on this page.`);
  const query = selection[0];
  assertExportable(query);
  const page = pageOf(query);
  if (!page) throw new PasticheError('bad-selection', 'The selected layer is not on a page.');
  const related = (node: SceneNode) => node.id === query.id || isInside(query, node) || isInside(node, query);
  const items = imageLayersIn(page, (node) => isArrangement(node)).filter((node) => !related(node) && !isHidden(node) && canExport(node));
  return { query, items };
}

function selectedLayers(selection: ReadonlyArray<SceneNode>): CollectedLayers {
  if (selection.length === 0) throw new PasticheError('no-selection', 'Select the layers to arrange, or a frame holding them.');
  const one = selection[0];
  const inside = selection.length === 1 && 'children' in one && one.children.length > 0 ? one.children : selection;
  return { items: inside.filter((node) => (!('visible' in node) || node.visible) && canExport(node)) };
}

// The panel's tabs, derived from the one list of techniques: one tab per panel group, in the order the groups
// first appear in the list. A group with no technique registered has no tab (nothing that cannot be used).
import { TECHNIQUE_SPECS, type TechniqueId } from '../../techniques/registry';
import type { PanelGroup, TechniqueSpec } from '../../techniques/technique-spec';

/** Tab titles of the known groups; a new group's tab is titled after its id. */
const TAB_LABELS: Record<string, string> = { style: 'Style', texture: 'Texture', dream: 'Dream', explore: 'Explore', basics: 'Basics' };

export interface PanelTab {
  id: PanelGroup;
  label: string;
  /** The techniques this tab offers, in list order. */
  techniques: TechniqueId[];
}

export function panelTabs(specs: readonly Pick<TechniqueSpec, 'id' | 'panel'>[] = TECHNIQUE_SPECS): PanelTab[] {
  const tabs: PanelTab[] = [];
  for (const spec of specs) {
    let tab = tabs.find((t) => t.id === spec.panel);
    if (!tab) tabs.push((tab = { id: spec.panel, label: TAB_LABELS[spec.panel] ?? spec.panel.replace(/^./, (c) => c.toUpperCase()), techniques: [] }));
    tab.techniques.push(spec.id as TechniqueId);
  }
  return tabs;
}

/** The tab of a technique (so "Apply again" opens the right one). */
export function tabOf(id: TechniqueId): PanelGroup {
  return TECHNIQUE_SPECS.find((spec) => spec.id === id)!.panel;
}

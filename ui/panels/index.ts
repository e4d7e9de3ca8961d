// Which component draws each tab: a technique group with a panel of its own, or the generic panel built from the
// techniques' schemas. The tabs themselves come from the list of techniques (tabs.ts).
import type { ComponentType } from 'preact';
import type { PanelGroup } from '../../techniques/technique-spec';
import type { PanelProps } from './panel-props';
import { DreamPanel } from './DreamPanel';
import { StylePanel } from './StylePanel';
import { TexturePanel } from './TexturePanel';
import { TechniquePanel } from './TechniquePanel';

const CUSTOM_PANELS: Partial<Record<PanelGroup, ComponentType<PanelProps>>> = { style: StylePanel, texture: TexturePanel, dream: DreamPanel };

export function panelComponent(group: PanelGroup): ComponentType<PanelProps> {
  return CUSTOM_PANELS[group] ?? TechniquePanel;
}

export { panelTabs, tabOf, type PanelTab } from './tabs';

import { Text, Muted } from '@create-figma-plugin/ui';
import type { LayerSummary } from '../../plugin/messages';

export function SelectionSummary({ selection }: { selection: LayerSummary[] }) {
  if (selection.length === 0) return <Text data-testid="selection"><Muted>Select a layer on the canvas.</Muted></Text>;
  const names = selection.map((layer) => layer.name).join(', ');
  return (
    <Text data-testid="selection">
      {selection.length === 1 ? 'Selected: ' : `${selection.length} layers: `}
      {names}
    </Text>
  );
}

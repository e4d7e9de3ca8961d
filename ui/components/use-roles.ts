// Two selected layers, two roles: the one worked on and the one read (a style, a texture sample). By default the
// layer selected last is the one read (select the photo, then shift-click the painting); a new selection resets
// the choice, and Swap flips it.
import { useEffect, useState } from 'preact/hooks';
import type { LayerSummary } from '../../plugin/messages';

export interface Roles {
  /** The layer read (undefined when fewer than two layers are selected). */
  reference: LayerSummary | undefined;
  /** The layers worked on: every selected layer but the reference. */
  others: LayerSummary[];
  /** Two layers selected: Swap can exchange the roles. */
  canSwap: boolean;
  swap(): void;
}

export function useRoles(selection: readonly LayerSummary[]): Roles {
  const [referenceId, setReferenceId] = useState<string | null>(null);
  const key = selection.map((layer) => layer.id).join(',');
  useEffect(() => setReferenceId(selection.at(-1)?.id ?? null), [key]);
  const reference = selection.length >= 2 ? selection.find((layer) => layer.id === referenceId) : undefined;
  const others = selection.filter((layer) => layer.id !== reference?.id);
  return { reference, others, canSwap: selection.length === 2 && reference !== undefined, swap: () => others[0] && setReferenceId(others[0].id) };
}

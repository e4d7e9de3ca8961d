// The panel's main button lives in the window's footer, which stays at the bottom however long the panel is: a
// panel renders <ActionBar> where it likes, and the content appears in the footer (a portal).
import { createContext, type ComponentChildren } from 'preact';
import { createPortal } from 'preact/compat';
import { useContext } from 'preact/hooks';

export const ActionBarTarget = createContext<HTMLElement | null>(null);

export function ActionBar({ children }: { children: ComponentChildren }) {
  const target = useContext(ActionBarTarget);
  return target ? createPortal(<>{children}</>, target) : <>{children}</>;
}

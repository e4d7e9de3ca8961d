// The corner grip that resizes the plugin window, as Figma plugins do it: the iframe cannot resize itself, so the
// drag sends the wanted size to the sandbox (figma.ui.resize), which also remembers it. One message per frame.
import { useRef } from 'preact/hooks';
import { WINDOW_LIMITS, type WindowSize } from '../../plugin/messages';

const clamp = (value: number, min: number, max: number) => Math.round(Math.min(max, Math.max(min, value)));

export function ResizeHandle({ onResize }: { onResize: (size: WindowSize) => void }) {
  const pending = useRef<WindowSize | null>(null);
  const start = (event: PointerEvent) => {
    const handle = event.currentTarget as HTMLElement;
    handle.setPointerCapture(event.pointerId);
    const from = { x: event.screenX, y: event.screenY, width: window.innerWidth, height: window.innerHeight };
    const move = (e: PointerEvent) => {
      const next = {
        width: clamp(from.width + e.screenX - from.x, WINDOW_LIMITS.minWidth, WINDOW_LIMITS.maxWidth),
        height: clamp(from.height + e.screenY - from.y, WINDOW_LIMITS.minHeight, WINDOW_LIMITS.maxHeight),
      };
      if (!pending.current) requestAnimationFrame(() => pending.current && (onResize(pending.current), (pending.current = null)));
      pending.current = next;
    };
    const end = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', end);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', end);
  };
  return (
    <div class="pastiche-resize" title="Drag to resize" data-testid="resize" onPointerDown={start}>
      <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
        <path d="M9 1 1 9M9 5 5 9" stroke="currentColor" stroke-width="1" />
      </svg>
    </div>
  );
}

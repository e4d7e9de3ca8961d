/** `fn` called once, `delayMs` after the last of a burst of calls, with the last call's argument. */
export interface Debounced<T> {
  (value: T): void;
  /** Calls `fn` now with the pending argument, if a call is waiting (nothing otherwise). */
  flush(): void;
}

export function debounce<T>(fn: (value: T) => void, delayMs: number): Debounced<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: { value: T } | undefined;
  const fire = () => {
    clearTimeout(timer);
    const waiting = pending;
    pending = undefined;
    if (waiting) fn(waiting.value);
  };
  const debounced = (value: T) => {
    clearTimeout(timer);
    pending = { value };
    timer = setTimeout(fire, delayMs);
  };
  return Object.assign(debounced, { flush: fire });
}

/** `fn` called once, `delayMs` after the last of a burst of calls, with the last call's argument. */
export function debounce<T>(fn: (value: T) => void, delayMs: number): (value: T) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (value) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(value), delayMs);
  };
}

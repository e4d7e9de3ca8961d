// figma.on / once / off: a small typed emitter. Listeners' return values are ignored, as in Figma.
type Listener = (...args: unknown[]) => unknown;

export class Emitter {
  private readonly listeners = new Map<string, Array<{ fn: Listener; once: boolean }>>();

  on(type: string, fn: Listener, once = false): void {
    const list = this.listeners.get(type) ?? [];
    list.push({ fn, once });
    this.listeners.set(type, list);
  }

  off(type: string, fn: Listener): void {
    const list = this.listeners.get(type);
    if (list) this.listeners.set(type, list.filter((l) => l.fn !== fn));
  }

  /** Forgets every listener: a plugin that is started again registers its own. */
  clear(): void {
    this.listeners.clear();
  }

  count(type: string): number {
    return this.listeners.get(type)?.length ?? 0;
  }

  /** Calls the listeners and returns what they returned (so the double can await async handlers). */
  emit(type: string, ...args: unknown[]): unknown[] {
    const list = this.listeners.get(type) ?? [];
    this.listeners.set(type, list.filter((l) => !l.once));
    return list.map((l) => l.fn(...args));
  }
}

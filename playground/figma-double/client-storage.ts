// figma.clientStorage: per-user, async, values structured-cloned (so stored objects are not shared by reference).
export class ClientStorageDouble implements ClientStorageAPI {
  readonly map: Map<string, unknown>;

  constructor(initial: Record<string, unknown> = {}) {
    this.map = new Map(Object.entries(initial).map(([k, v]) => [k, structuredClone(v)]));
  }

  async getAsync(key: string): Promise<unknown | undefined> {
    return this.map.has(key) ? structuredClone(this.map.get(key)) : undefined;
  }
  async setAsync(key: string, value: unknown): Promise<void> {
    this.map.set(key, structuredClone(value));
  }
  async deleteAsync(key: string): Promise<void> {
    this.map.delete(key);
  }
  async keysAsync(): Promise<string[]> {
    return [...this.map.keys()];
  }
}

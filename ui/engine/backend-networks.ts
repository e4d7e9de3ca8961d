// The engine's networks, one set per TF.js backend: weights uploaded as WebGL textures cannot serve a job on WASM
// (and after a lost WebGL context they are gone), so every job takes the set of the backend it runs on.
import * as tf from '@tensorflow/tfjs';
import type { Networks } from '../../models/registry';

export class BackendNetworks {
  private readonly sets = new Map<string, Networks>();

  constructor(private readonly create: () => Networks) {}

  /** The networks of the backend TF.js runs on now (loaded on first use, as always). */
  current(): Networks {
    const backend = tf.getBackend();
    let set = this.sets.get(backend);
    if (!set) this.sets.set(backend, (set = this.create()));
    return set;
  }

  /** Frees one backend's networks; a later job there loads them again. */
  async release(backend: string): Promise<void> {
    const set = this.sets.get(backend);
    this.sets.delete(backend);
    try {
      await set?.disposeAll();
    } catch {
      // Freeing on a lost WebGL context can only fail to free what is already gone.
    }
  }
}

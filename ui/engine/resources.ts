// What the engine reads from its own bundle: the converted networks and the bundled images (style paintings,
// texture samples). Both are inlined by the build (esbuild.config.mjs) because the plugin has no network access;
// both decode lazily, once.
import weights from 'pastiche:weights';
import images from 'pastiche:images';
import { createNetworks, type Networks } from '../../models/registry';
import { base64ToArrayBuffer, createInlineWeightStore } from '../../models/weights/inline-store';
import type { AssetLoader } from '../../techniques/job';
import type { RgbaImage } from '../../techniques/image';
import { PasticheError } from '../../techniques/errors';
import { decodePng } from './png';

/** A fresh set of networks over the bundled weights (the engine makes one per session; the bench one per run). */
export function bundledNetworks(): Networks {
  return createNetworks(createInlineWeightStore(weights));
}

const decoded = new Map<string, Promise<RgbaImage>>();

export const bundledAssets: AssetLoader = {
  image(kind, id) {
    const key = `${kind}/${id}`;
    let image = decoded.get(key);
    if (!image) {
      const base64 = images[kind]?.[id];
      if (!base64) return Promise.reject(new PasticheError('bad-input', `Unknown ${kind === 'styles' ? 'style preset' : 'texture'} "${id}".`));
      image = decodePng(new Uint8Array(base64ToArrayBuffer(base64)));
      decoded.set(key, image);
    }
    return image;
  },
};

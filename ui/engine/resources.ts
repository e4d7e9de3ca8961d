// What the engine reads from its own bundle: the converted networks and the style presets. Both are inlined
// by the build (esbuild.config.mjs) because the plugin has no network access; both decode lazily.
import weights from 'pastiche:weights';
import stylePresets from 'pastiche:style-presets';
import { setWeightStore } from '../../models/registry';
import { createInlineWeightStore } from '../../models/weights/inline-store';
import { base64ToArrayBuffer } from '../../models/weights/inline-store';
import type { AssetLoader } from '../../techniques/job';
import type { RgbaImage } from '../../techniques/image';
import { PasticheError } from '../../techniques/errors';
import { decodePng } from './png';

export function useBundledWeights(): void {
  setWeightStore(createInlineWeightStore(weights));
}

const decodedPresets = new Map<string, Promise<RgbaImage>>();

export const bundledAssets: AssetLoader = {
  stylePreset(id) {
    let image = decodedPresets.get(id);
    if (!image) {
      const base64 = stylePresets[id];
      if (!base64) return Promise.reject(new PasticheError('bad-input', `Unknown style preset "${id}".`));
      image = decodePng(new Uint8Array(base64ToArrayBuffer(base64)));
      decodedPresets.set(id, image);
    }
    return image;
  },
};

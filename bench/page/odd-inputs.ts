// Memory on odd shapes (issue #12): a job whose input is a 1 × 20000 stripe or an 8192² image must stay within
// what its working size needs, because every view is cropped or resampled before anything is made at full size
// (techniques/image.ts centreSquare, techniques/memory.ts). One run each, its peak tensor bytes and its time; a
// technique that refuses the input says so in the row (`refused`) instead of failing the bench.
import * as tf from '@tensorflow/tfjs';
import { PasticheError } from '../../techniques/errors';
import { isTechniqueId } from '../../techniques/registry';
import { runTechnique } from '../../techniques/run-technique';
import type { JobContext } from '../../techniques/job';
import type { RgbaImage } from '../../techniques/image';
import { fitConvolutionsTo } from '../../ui/engine/backend';
import { syntheticImage } from './images';
import { peakBytesDuring } from './measure';
import type { CaseMeasure, OddInputSpec } from './protocol';

/** The synthetic pattern at any width × height (opaque), without a square's worth of memory for a stripe. */
export function syntheticRect(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = ((x % 256) * 255) / 256;
      data[i + 1] = ((y % 256) * 255) / 256;
      data[i + 2] = 128 + 127 * Math.sin((x + y) / 9);
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/** The content of a job whose odd input is its reference (the style image): an ordinary square layer. */
const CONTENT_SIDE = 512;

export async function oddInputCase(spec: OddInputSpec, context: JobContext): Promise<CaseMeasure> {
  const id = spec.id;
  if (!isTechniqueId(id)) throw new Error(`unknown technique ${id}`);
  const odd = syntheticRect(spec.width, spec.height);
  const images = spec.role === 'source' ? { source: odd } : { source: syntheticImage(CONTENT_SIDE), reference: odd };
  // The convolution shader the engine would pick for this job's source.
  fitConvolutionsTo(images.source.width * images.source.height);
  // Networks load first on a tiny image: their weights are not the job's peak.
  await runTechnique(id, { source: syntheticImage(32), ...(spec.role === 'reference' ? { reference: syntheticImage(32) } : {}) }, spec.params, context);
  const tensorsBefore = tf.memory().numTensors;
  const started = performance.now();
  let refused = '';
  const { peakBytes } = await peakBytesDuring(async () => {
    try {
      await runTechnique(id, images, spec.params, context);
    } catch (error) {
      if (!(error instanceof PasticheError)) throw error;
      refused = error.message;
    }
  });
  const ms = performance.now() - started;
  return {
    coldMs: ms,
    warmMs: ms,
    peakBytes,
    tensorsLeftOver: tf.memory().numTensors - tensorsBefore,
    extra: { input: `${spec.role} ${spec.width}×${spec.height}`, ...(refused ? { refused } : {}) },
  };
}

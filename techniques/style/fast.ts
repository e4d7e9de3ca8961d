// The fast style path: one forward pass of Magenta's arbitrary-style network (Ghiasi et al. 2017), i.e. the
// feed-forward idea of Johnson et al. 2016 (CS231n lecture 12) generalised to any style by a predicted bottleneck.
//
//   styles -> bottlenecks -> weighted mean -> interpolated with the content's own bottleneck (strength) ->
//   transformer over tiles sharing one set of norm statistics, at the painting size the style scale sets ->
//   optional colour preservation -> resampled to the result size -> alpha of the (resampled) source put back.
import type { StylePredictor } from '../../models/networks/magenta';
import type { StyleParams } from './spec';
import { throwIfAborted } from '../errors';
import { assertNotEmpty, packRgba, type RgbaImage } from '../image';
import type { JobContext, JobImages, Technique } from '../job';
import { applyStrength, blendBottlenecks, imageBottleneck } from './bottleneck';
import { resampleAlpha, resampleFloat, resampleToPlanes, sizeForLongestSide } from './fast-resample';
import { DEFAULT_STATS_SIZE, stylizePlanes } from './fast-stylize';
import { resolveStyleImages } from './resolve-styles';
import { DEFAULT_TILING, type TilingOptions } from './tiling';
import { tileSideFor } from '../memory';
import type * as tf from '@tensorflow/tfjs';

export interface FastStyleOptions {
  tiling: TilingOptions;
  statsSize: number;
}

/** Longest side the transformer paints at: the largest result size, so a fine style scale costs at most what a
 *  4096 px result costs (CPU buffers of ~200 MB; the GPU only ever holds one tile). */
export const MAX_PAINTING_SIDE = 4096;

/**
 * The size the transformer paints at for a result of `size`: size / styleScale, longest side capped.
 *
 * The transformer's brush strokes have a fixed size in the pixels it paints, so painting at twice the result's
 * resolution and shrinking gives strokes half as large relative to the content: this is the style seen at half
 * its size, as the Gatys path's style scale does it (there the style image itself is resampled). Capped at
 * MAX_PAINTING_SIDE, so near 4096 px results the finest scales paint as fine as the cap allows.
 */
export function paintingSize(size: { width: number; height: number }, styleScale: number): { width: number; height: number } {
  const longest = Math.min(MAX_PAINTING_SIDE, Math.max(1, Math.round(Math.max(size.width, size.height) / styleScale)));
  return sizeForLongestSide(size.width, size.height, longest);
}

/** Progress share of the bottleneck stage (the predictor runs once per style, plus once for strength < 1). */
const BOTTLENECK_SHARE = 0.1;

/** The default tiling, with tiles `tileScale` of their side (a retry after the GPU ran out of memory). */
function smallerTiling(tileScale = 1): TilingOptions {
  if (tileScale >= 1) return DEFAULT_TILING;
  // Tiles stay a multiple of the transformer's grid and larger than their two overlaps.
  return { ...DEFAULT_TILING, tileSize: tileSideFor(DEFAULT_TILING.tileSize, tileScale, 2 * DEFAULT_TILING.overlap + 64, 4) };
}

/** The fast path with its tiling made explicit (tests force small tiles); `fastStyleTransfer` uses the defaults. */
export function createFastStyleTransfer(options: Partial<FastStyleOptions> = {}): Technique<StyleParams> {
  const statsSize = options.statsSize ?? DEFAULT_STATS_SIZE;
  return async (images: JobImages, params: StyleParams, context: JobContext): Promise<RgbaImage> => {
    const { source } = images;
    assertNotEmpty(source, 'The image');
    const tiling = options.tiling ?? smallerTiling(context.tileScale);
    const styles = await resolveStyleImages(params, images, context.assets);
    throwIfAborted(context.signal);
    const [predictor, transformer] = await Promise.all([context.networks.get('magenta_predictor'), context.networks.get('magenta_transformer')]);

    const size = sizeForLongestSide(source.width, source.height, params.size);
    const painting = paintingSize(size, params.styleScale);
    const content = resampleToPlanes(source, painting.width, painting.height);

    context.onProgress({ fraction: 0, message: 'reading the style' });
    const bottleneck = await styleBottleneck(predictor, styles, source, params, context);
    try {
      context.onProgress({ fraction: BOTTLENECK_SHARE, message: 'painting' });
      const rgb = await stylizePlanes(transformer, content, bottleneck, {
        tiling,
        statsSize,
        preserveColors: params.preserveColors,
        signal: context.signal,
        onTile: (done, total) =>
          context.onProgress({ fraction: BOTTLENECK_SHARE + (1 - BOTTLENECK_SHARE) * (done / total), message: total > 1 ? `tile ${done} of ${total}` : 'painted' }),
      });
      if (painting.width === size.width && painting.height === size.height) return packRgba(rgb, content.alpha, size.width, size.height);
      const resized = resampleFloat(rgb, painting.width, painting.height, 3, size.width, size.height);
      return packRgba(resized, resampleAlpha(source, size.width, size.height), size.width, size.height);
    } finally {
      bottleneck.dispose();
    }
  };
}

export const fastStyleTransfer: Technique<StyleParams> = createFastStyleTransfer();

/** Blended style bottleneck moved towards the content's own by (1 − strength). Caller disposes. */
async function styleBottleneck(
  predictor: StylePredictor,
  styles: { image: RgbaImage; weight: number }[],
  source: RgbaImage,
  params: StyleParams,
  context: JobContext,
): Promise<tf.Tensor4D> {
  const parts: { bottleneck: tf.Tensor4D; weight: number }[] = [];
  try {
    for (const style of styles) {
      throwIfAborted(context.signal);
      parts.push({ bottleneck: imageBottleneck(predictor, style.image), weight: style.weight });
    }
    const blended = blendBottlenecks(parts);
    if (params.strength >= 1) return blended;
    try {
      throwIfAborted(context.signal);
      // The content's own style, read like a style image: strength 0 restyles it as itself.
      const own = imageBottleneck(predictor, source);
      try {
        return applyStrength(blended, own, params.strength);
      } finally {
        own.dispose();
      }
    } finally {
      blended.dispose();
    }
  } finally {
    for (const part of parts) part.bottleneck.dispose();
  }
}

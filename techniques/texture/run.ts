// The Texture technique: the spec's parameters -> the sample image, the output size, and one of the two methods.
import { PasticheError } from '../errors';
import { assertNotEmpty, packRgba, type RgbaImage } from '../image';
import { resampleToPlanes } from '../style/fast-resample';
import { withFacts, type JobContext, type JobImages, type Technique, type TechniqueResult } from '../job';
import { directFillSize } from './fill-plan';
import { synthesizeNeuralTexture } from './neural';
import { DEFAULT_TILE_SIDE } from './texture-objective';
import { tileSideFor } from '../memory';
import { quiltTexture } from './quilting';
import type { TextureParams } from './spec';

/** The sample: for "fill", a bundled texture or the reference layer; otherwise the selected layer itself. */
async function sampleOf({ source, reference }: JobImages, p: TextureParams, context: JobContext): Promise<RgbaImage> {
  if (p.make !== 'fill') return source;
  if (p.sample !== 'layer') return context.assets.image('textures', p.sample);
  if (!reference) throw new PasticheError('bad-input', 'Select the shape to fill and, with it, the layer to take the texture from (the sample).');
  return assertNotEmpty(reference, 'The sample layer');
}

/**
 * The result's pixel size: the shape's at 1x or 2x (capped at the direct limit: see fill-plan.ts), a tile, or W×H.
 * `fit` < 1: the size was capped by that factor, so Figma will stretch the fill by its inverse.
 */
function outputSize(source: RgbaImage, p: TextureParams): { width: number; height: number; seamless: boolean; fit: number } {
  if (p.make === 'extend') return { width: p.width, height: p.height, seamless: p.seamless, fit: 1 };
  if (p.make === 'seamless') return { width: source.width, height: source.height, seamless: true, fit: 1 };
  if (p.tile) return { width: p.tileSize, height: p.tileSize, seamless: true, fit: 1 };
  return { ...directFillSize(source.width, source.height, p.resolution), seamless: false };
}

export const run: Technique<TextureParams> = async (images, p, context): Promise<TechniqueResult> => {
  const sample = await sampleOf(images, p, context);
  const { fit, ...size } = outputSize(images.source, p);
  const detail = fit < 1 ? `stretched from ${size.width}×${size.height} px` : undefined;
  // A fill at 2x shows the sample's pixels at half a point each: the texture is seen twice as large to keep the
  // bricks the size they are in the sample. A fill that will be stretched is drawn finer by as much.
  const scale = p.scale * (p.make === 'fill' ? p.resolution * fit : 1);
  if (p.method === 'patch') {
    const image = await quiltTexture(resampled(sample, scale), { ...size, seed: p.seed }, context);
    return detail ? withFacts(image, { detail }) : image;
  }
  const vgg = await context.networks.get('vgg19');
  // Always periodic: a seamless texture is also a good plain one, and without a wrap the outermost pixels (which
  // VGG sees against its zero padding) keep their starting noise.
  const result = await synthesizeNeuralTexture(vgg, sample, { ...size, seamless: true, steps: p.steps, seed: p.seed, scale, loss: p.loss, previewEvery: p.previewEvery, tileSide: tileSideFor(DEFAULT_TILE_SIDE, context.tileScale) }, context);
  return withFacts(result.image, { stepsRun: result.stepsRun, ...(detail ? { detail } : {}) });
};

/** Quilting copies sample pixels as they are: a texture scale resamples the sample first (2 = features twice as big). */
function resampled(sample: RgbaImage, scale: number): RgbaImage {
  if (scale === 1) return sample;
  const width = Math.max(8, Math.round(sample.width * scale));
  const height = Math.max(8, Math.round(sample.height * scale));
  const planes = resampleToPlanes(sample, width, height);
  return packRgba(Float32Array.from(planes.rgb, (v) => v / 255), planes.alpha, width, height);
}

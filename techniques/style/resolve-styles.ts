// Turns the style choices of StyleParams into images: a bundled preset through the job's asset loader, or
// "layer" = the job's reference image. Shared by both style methods and by the CLI, so the errors read the same.
import type { StyleParams } from './spec';
import { PasticheError } from '../errors';
import { assertNotEmpty, type RgbaImage } from '../image';
import type { AssetLoader, JobImages } from '../job';

export interface ResolvedStyle {
  image: RgbaImage;
  /** Normalized: the weights of all resolved styles sum to 1. */
  weight: number;
  /** The preset id, or 'layer'. */
  source: string;
}

export async function resolveStyleImages(
  params: Pick<StyleParams, 'styles'>,
  images: Pick<JobImages, 'reference'>,
  assets: AssetLoader,
): Promise<ResolvedStyle[]> {
  if (!params.styles?.length) throw new PasticheError('bad-params', 'Choose at least one style.');
  const total = params.styles.reduce((sum, s) => sum + s.weight, 0);
  if (!(total > 0) || !Number.isFinite(total)) throw new PasticheError('bad-params', 'Style weights must be positive numbers.');
  return Promise.all(
    params.styles.map(async (choice) => ({ image: await styleImage(choice.source, images, assets), weight: choice.weight / total, source: choice.source })),
  );
}

async function styleImage(source: string, images: Pick<JobImages, 'reference'>, assets: AssetLoader): Promise<RgbaImage> {
  if (source === 'layer') {
    if (!images.reference) {
      throw new PasticheError('bad-input', 'The style "layer" needs a second selected layer (the style image), and there is none.');
    }
    return assertNotEmpty(images.reference, 'The style layer');
  }
  let image: RgbaImage;
  try {
    image = await assets.image('styles', source);
  } catch (error) {
    if (error instanceof PasticheError) throw error;
    throw new PasticheError('bad-input', `The style preset "${source}" could not be loaded (${(error as Error).message}).`);
  }
  return assertNotEmpty(image, `The style preset "${source}"`);
}

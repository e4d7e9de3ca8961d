// The techniques by id, and the one function that runs a job: validation, dispatch, typed errors.
import { techniqueSpec, type TechniqueId, type TechniqueParams } from './catalog';
import { PasticheError } from './errors';
import type { JobContext, JobImages, Technique } from './job';
import type { RgbaImage } from './image';
import { blur, grayscale, invert } from './adjust';
import { styleTransfer } from './style';

const IMPLEMENTATIONS: { [Id in TechniqueId]: Technique<TechniqueParams[Id]> } = {
  invert,
  grayscale,
  blur,
  style: styleTransfer,
};

export async function runTechnique<Id extends TechniqueId>(
  id: Id,
  images: JobImages,
  params: TechniqueParams[Id],
  context: JobContext,
): Promise<RgbaImage> {
  const spec = techniqueSpec(id);
  const complete = { ...spec.defaults, ...params } as TechniqueParams[Id];
  const problem = spec.validate(complete);
  if (problem) throw new PasticheError('bad-params', problem);
  const { source } = images;
  if (source.width < 1 || source.height < 1) throw new PasticheError('bad-input', 'The image is empty (0 px).');
  const implementation = IMPLEMENTATIONS[id] as Technique<TechniqueParams[Id]>;
  return implementation(images, complete, context);
}

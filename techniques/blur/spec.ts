// Blur: a Gaussian-like blur whose transparent edges stay clean.
import { numberParam, paramsSchema } from '../params';
import { defineTechnique } from '../technique-spec';

export const blurSpec = defineTechnique({
  id: 'blur',
  label: 'Blur',
  summary: 'blur an image (Gaussian-like, transparent edges kept clean)',
  panel: 'basics',
  menuOrder: 3,
  maxInputSide: 4096,
  params: paramsSchema({
    radius: numberParam({ label: 'Radius', help: 'blur radius in pixels of the layer', min: 1, max: 256, default: 8, integer: true, unit: 'px' }),
  }),
  describe: (p) => `radius ${p.radius}px`,
  bench: { sizes: [512, 1024, 2048] },
});

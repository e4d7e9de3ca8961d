// Grayscale: BT.601 luma, mixed with the original by `amount`.
import { percent } from '../format';
import { numberParam, paramsSchema } from '../params';
import { defineTechnique } from '../technique-spec';

export const grayscaleSpec = defineTechnique({
  id: 'grayscale',
  label: 'Grayscale',
  summary: 'turn an image to grayscale (BT.601 luma)',
  panel: 'basics',
  menuOrder: 2,
  maxInputSide: 8192,
  params: paramsSchema({
    amount: numberParam({ label: 'Amount', help: 'how much to desaturate (100% = fully grey)', min: 0, max: 1, default: 1, step: 0.01, percent: true }),
  }),
  describe: (p) => (p.amount === 1 ? '' : `amount ${percent(p.amount)}`),
  bench: { sizes: [512, 1024, 2048] },
});

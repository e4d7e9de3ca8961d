// Invert: 255 − v per colour channel, mixed with the original by `amount`. The simplest round trip.
import { percent } from '../format';
import { numberParam, paramsSchema } from '../params';
import { defineTechnique } from '../technique-spec';

export const invertSpec = defineTechnique({
  id: 'invert',
  label: 'Invert',
  summary: 'invert the colours of an image',
  panel: 'basics',
  menuOrder: 1,
  maxInputSide: 8192,
  params: paramsSchema({
    amount: numberParam({ label: 'Amount', help: 'how much to invert (100% = fully)', min: 0, max: 1, default: 1, step: 0.01, percent: true }),
  }),
  describe: (p) => (p.amount === 1 ? '' : `amount ${percent(p.amount)}`),
  bench: { sizes: [512, 1024, 2048] },
});

// Channel sheet: what the strongest channels of a layer make of this image, each dreamed into a small thumbnail,
// strongest first, so a designer can pick a channel to amplify by its look rather than its number.
import type * as v from 'valibot';
import { dreamLayerParam, dreamModelParam } from '../dream/layers';
import { numberParam, paramsSchema } from '../params';
import { defineTechnique, type RunFacts } from '../technique-spec';

const channelsParams = paramsSchema({
  model: dreamModelParam('the network whose channels are shown'),
  layer: dreamLayerParam(),
  count: numberParam({ label: 'Channels', help: 'how many of the strongest channels', min: 2, max: 16, default: 8, integer: true }),
  size: numberParam({ label: 'Thumbnail', help: 'side of each preview', min: 32, max: 128, default: 64, integer: true, unit: 'px' }),
});
export type ChannelsParams = v.InferOutput<typeof channelsParams>;

export const channelsSpec = defineTechnique({
  id: 'channels',
  label: 'Channel sheet',
  summary: "what the strongest channels of a layer make of an image, as a sheet of small dreams",
  panel: 'dream',
  menuOrder: 2,
  maxInputSide: 1024,
  params: channelsParams,
  describe: (p: ChannelsParams, run: RunFacts = {}) => [p.model === 'darknet' ? `Darknet ${p.layer}` : p.layer, run.detail ?? ''].filter(Boolean).join(': '),
  resultPixels: (p) => p.count * (p.size + 4) ** 2,
  bench: { sizes: [256] },
});

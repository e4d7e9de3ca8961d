// Channel sheet: what the strongest channels of a layer make of this image, each dreamed into a small thumbnail,
// strongest first, so a designer can pick a channel to amplify by its look rather than its number.
import type * as v from 'valibot';
import { choiceParam, numberParam, paramsSchema, textParam } from '../params';
import { defineTechnique, type RunFacts } from '../technique-spec';

const channelsParams = paramsSchema({
  model: choiceParam({
    label: 'Network',
    help: 'the network whose channels are shown',
    options: [
      { value: 'mobilenet', label: 'MobileNetV2' },
      { value: 'darknet', label: 'Darknet-tiny' },
    ],
    default: 'mobilenet',
  }),
  layer: textParam({ label: 'Layer', help: 'a preset (Edges … Objects) or a layer name', default: 'Patterns', maxLength: 40 }),
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

// The Channel sheet technique: rank the layer's channels on the image, dream the strongest into thumbnails, lay them
// out strongest first (left to right, top to bottom); the layer's name lists the channel numbers in that order.
import { channelPreviewSheet } from '../dream/channel-sheet';
import { DREAM_MODELS } from '../dream/spec';
import { imageGrid } from '../image-grid';
import { withFacts, type Technique } from '../job';
import type { ChannelsParams } from './spec';

const GAP = 4;

export const run: Technique<ChannelsParams> = async ({ source }, p, context) => {
  const net = await context.networks.get(DREAM_MODELS[p.model]);
  const previews = await channelPreviewSheet(net, source, { layer: p.layer, count: p.count, size: p.size }, context);
  const sheet = imageGrid(previews.map((preview) => preview.image), Math.ceil(Math.sqrt(previews.length)), GAP, [0, 0, 0, 0]);
  return withFacts(sheet, { detail: `channels ${previews.map((preview) => preview.channel).join(', ')}` });
};

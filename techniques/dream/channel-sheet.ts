// A quick look at what a layer's channels respond to in this image: rank the channels by their mean activation on
// it, then dream each of the strongest few into a thumbnail of the image (one small octave, a few steps). Lets a
// designer pick a channel by its look instead of its number.
import * as tf from '@tensorflow/tfjs';
import type { DarknetTiny } from '../../models/networks/darknet-tiny';
import type { MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { PasticheError } from '../errors';
import type { RgbaImage } from '../image';
import { splitRgbAlpha } from '../tensor-image';
import { type DreamContext, DREAM_DEFAULTS, dream } from './dream';
import { fitLongestSide, resizeTo } from './image-ops';
import { type DreamNetwork, dreamNetwork, resolveLayer } from './network';

export interface ChannelSheetOptions {
  /** Layer name or preset. */
  layer: string;
  /** How many channels (the strongest first). */
  count: number;
  /** Longest side of each thumbnail, px. */
  size: number;
  steps: number;
  stepSize: number;
  seed: number;
  /** Longest side the channels are ranked at. */
  analysisSize: number;
}

export const CHANNEL_SHEET_DEFAULTS: Readonly<ChannelSheetOptions> = Object.freeze({ layer: DREAM_DEFAULTS.layer, count: 8, size: 64, steps: 8, stepSize: 0.03, seed: 0, analysisSize: 224 });

export interface ChannelPreview {
  channel: number;
  /** Mean activation of the channel on the image (what it was ranked by). */
  meanActivation: number;
  image: RgbaImage;
}

/** Mean activation of every channel of `layer` on `image`, at most `analysisSize` px. */
export async function rankChannels(net: DreamNetwork, source: RgbaImage, layer: string, analysisSize = CHANNEL_SHEET_DEFAULTS.analysisSize): Promise<{ channel: number; meanActivation: number }[]> {
  const l = resolveLayer(net, layer);
  const fit = fitLongestSide(source.width, source.height, Math.min(analysisSize, Math.max(source.width, source.height)));
  const { rgb, alpha } = splitRgbAlpha(source);
  const means = tf.tidy(() => tf.mean(net.activations(resizeTo(rgb, fit.height, fit.width), l.name), [0, 1, 2]));
  try {
    const values = await means.data();
    return Array.from(values, (meanActivation, channel) => ({ channel, meanActivation })).sort((a, b) => b.meanActivation - a.meanActivation);
  } finally {
    tf.dispose([rgb, alpha, means]);
  }
}

export async function channelPreviewSheet(
  network: DreamNetwork | MobileNetV2 | DarknetTiny,
  source: RgbaImage,
  options: Partial<ChannelSheetOptions>,
  context: DreamContext,
): Promise<ChannelPreview[]> {
  const o = { ...CHANNEL_SHEET_DEFAULTS, ...options };
  if (!(Number.isInteger(o.count) && o.count >= 1 && o.count <= 64)) throw new PasticheError('bad-params', `Channel count must be a whole number from 1 to 64 (got ${o.count}).`);
  const net = 'presets' in network ? network : dreamNetwork(network);
  const layer = resolveLayer(net, o.layer).name;
  const ranked = (await rankChannels(net, source, layer, o.analysisSize)).slice(0, o.count);
  const previews: ChannelPreview[] = [];
  for (const [i, { channel, meanActivation }] of ranked.entries()) {
    const result = await dream(
      net,
      source,
      { layer, objective: { kind: 'channel', channel }, size: o.size, octaves: 1, stepsPerOctave: o.steps, stepSize: o.stepSize, jitter: Math.max(1, Math.round(o.size / 16)), seed: o.seed + i, previewEvery: 0 },
      {
        signal: context.signal,
        finishEarly: context.finishEarly,
        onProgress: (p) => context.onProgress({ fraction: (i + p.fraction) / ranked.length, message: `channel ${channel} (${i + 1} of ${ranked.length})` }),
      },
    );
    previews.push({ channel, meanActivation, image: result.image });
    if (result.ended === 'finished-early') break;
  }
  return previews;
}

// "Make seamless": the sample itself made tileable. No algorithm of its own: texture fill at the sample's own size
// with a periodic output, by either method (the patch method keeps the sample's exact pixels in its blocks; the
// neural one re-synthesizes every pixel from the statistics).
import type { Vgg19 } from '../../models/networks/vgg19';
import type { RgbaImage } from '../image';
import { type NeuralTextureOptions, type NeuralTextureResult, type TextureJobContext, synthesizeNeuralTexture } from './neural';
import { quiltTexture, type QuiltOptions } from './quilting';

export function makeSeamlessPatch(sample: RgbaImage, options: Omit<QuiltOptions, 'width' | 'height' | 'seamless'>, context: Pick<TextureJobContext, 'signal' | 'onProgress'>): Promise<RgbaImage> {
  return quiltTexture(sample, { ...options, width: sample.width, height: sample.height, seamless: true }, context);
}

export function makeSeamlessNeural(vgg: Vgg19, sample: RgbaImage, options: Omit<NeuralTextureOptions, 'width' | 'height' | 'seamless' | 'scale'>, context: TextureJobContext): Promise<NeuralTextureResult> {
  return synthesizeNeuralTexture(vgg, sample, { ...options, width: sample.width, height: sample.height, seamless: true, scale: 1 }, context);
}

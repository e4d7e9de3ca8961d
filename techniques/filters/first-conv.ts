// Where each network keeps its first convolution's kernel, and in which channel order that kernel reads pixels.
// VGG19 was trained on Caffe's BGR input (models/networks/vgg19.ts reverses RGB before conv1_1), so its kernel's
// input channel 0 is blue: shown as RGB it must be read back to front, or every filter appears colour-swapped.

export type ChannelOrder = 'rgb' | 'bgr';

export type FirstConvNetwork = 'vgg19' | 'mobilenet_v2' | 'darknet_tiny';

export interface FirstConvInfo {
  /** Name of the kernel in the converted weights (HWIO [kh, kw, 3, n]). */
  weight: string;
  /** The order of the kernel's 3 input channels. */
  inputOrder: ChannelOrder;
  /** Kernels in the layer (for captions before any weight is read). */
  count: number;
  /** Stride of the convolution (MobileNetV2's stem halves the image). */
  stride: number;
}

export const FIRST_CONV: Readonly<Record<FirstConvNetwork, FirstConvInfo>> = {
  vgg19: { weight: 'block1_conv1/kernel', inputOrder: 'bgr', count: 64, stride: 1 },
  mobilenet_v2: { weight: 'MobilenetV2/Conv/weights', inputOrder: 'rgb', count: 32, stride: 2 },
  darknet_tiny: { weight: 'conv1/kernel', inputOrder: 'rgb', count: 16, stride: 1 },
};

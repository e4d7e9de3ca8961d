// Builtin options of the ops Pastiche reads, decoded by op kind (the union's type tag is implied by the op).
import type { FbTable } from './flatbuffer-table';
import { activationName, paddingName, type Activation, type OpName, type Padding } from './schema';

export interface Conv2DOptions {
  kind: 'conv2d';
  padding: Padding;
  strides: [number, number];
  dilations: [number, number];
  activation: Activation;
}
export interface DepthwiseConv2DOptions {
  kind: 'depthwise';
  padding: Padding;
  strides: [number, number];
  dilations: [number, number];
  depthMultiplier: number;
  activation: Activation;
}
export interface Pool2DOptions {
  kind: 'pool';
  padding: Padding;
  strides: [number, number];
  filterSize: [number, number];
  activation: Activation;
}
/** ADD, MUL, SUB, DIV, CONCATENATION, FULLY_CONNECTED: only the fused activation matters here. */
export interface FusedActivationOptions {
  kind: 'fused';
  activation: Activation;
}
export interface ReshapeOptions {
  kind: 'reshape';
  newShape: number[];
}
export interface SoftmaxOptions {
  kind: 'softmax';
  beta: number;
}
export interface ReducerOptions {
  kind: 'reducer';
  keepDims: boolean;
}
export interface MirrorPadOptions {
  kind: 'mirror_pad';
  mode: 'reflect' | 'symmetric';
}
export interface ResizeOptions {
  kind: 'resize';
  alignCorners: boolean;
  halfPixelCenters: boolean;
}
export interface ConcatenationOptions {
  kind: 'concat';
  axis: number;
  activation: Activation;
}
export interface NoOptions {
  kind: 'none';
}

export type BuiltinOptions =
  | Conv2DOptions
  | DepthwiseConv2DOptions
  | Pool2DOptions
  | FusedActivationOptions
  | ReshapeOptions
  | SoftmaxOptions
  | ReducerOptions
  | MirrorPadOptions
  | ResizeOptions
  | ConcatenationOptions
  | NoOptions;

/** Field order per table follows schema.fbs. Strides are returned [h, w] as TF.js wants them. */
export function readBuiltinOptions(op: string, t: FbTable | undefined): BuiltinOptions {
  const o = op as OpName;
  switch (o) {
    case 'CONV_2D':
      // Conv2DOptions: padding, stride_w, stride_h, fused_activation_function, dilation_w, dilation_h
      return {
        kind: 'conv2d',
        padding: paddingName(t?.int8(0) ?? 0),
        strides: [t?.int32(2) ?? 1, t?.int32(1) ?? 1],
        activation: activationName(t?.int8(3) ?? 0),
        dilations: [t?.int32(5, 1) ?? 1, t?.int32(4, 1) ?? 1],
      };
    case 'DEPTHWISE_CONV_2D':
      // padding, stride_w, stride_h, depth_multiplier, fused_activation_function, dilation_w, dilation_h
      return {
        kind: 'depthwise',
        padding: paddingName(t?.int8(0) ?? 0),
        strides: [t?.int32(2) ?? 1, t?.int32(1) ?? 1],
        depthMultiplier: t?.int32(3) ?? 1,
        activation: activationName(t?.int8(4) ?? 0),
        dilations: [t?.int32(6, 1) ?? 1, t?.int32(5, 1) ?? 1],
      };
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
      // padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function
      return {
        kind: 'pool',
        padding: paddingName(t?.int8(0) ?? 0),
        strides: [t?.int32(2) ?? 1, t?.int32(1) ?? 1],
        filterSize: [t?.int32(4) ?? 1, t?.int32(3) ?? 1],
        activation: activationName(t?.int8(5) ?? 0),
      };
    case 'ADD':
    case 'MUL':
    case 'SUB':
    case 'DIV':
    case 'FULLY_CONNECTED':
      // AddOptions/MulOptions/SubOptions/DivOptions/FullyConnectedOptions: fused_activation_function first.
      return { kind: 'fused', activation: activationName(t?.int8(0) ?? 0) };
    case 'CONCATENATION':
      return { kind: 'concat', axis: t?.int32(0) ?? 0, activation: activationName(t?.int8(1) ?? 0) };
    case 'RESHAPE':
      return { kind: 'reshape', newShape: t?.int32s(0) ?? [] };
    case 'SOFTMAX':
      return { kind: 'softmax', beta: t?.float32(0, 1) ?? 1 };
    case 'MEAN':
      return { kind: 'reducer', keepDims: t?.bool(0) ?? false };
    case 'MIRROR_PAD':
      return { kind: 'mirror_pad', mode: (t?.int8(0) ?? 0) === 0 ? 'reflect' : 'symmetric' };
    case 'RESIZE_NEAREST_NEIGHBOR':
      // ResizeNearestNeighborOptions: align_corners, half_pixel_centers
      return { kind: 'resize', alignCorners: t?.bool(0) ?? false, halfPixelCenters: t?.bool(1) ?? false };
    case 'RESIZE_BILINEAR':
      // ResizeBilinearOptions: new_height (deprecated), new_width (deprecated), align_corners, half_pixel_centers
      return { kind: 'resize', alignCorners: t?.bool(2) ?? false, halfPixelCenters: t?.bool(3) ?? false };
    default:
      return { kind: 'none' };
  }
}

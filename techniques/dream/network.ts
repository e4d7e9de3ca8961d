// One view of the two classifiers DeepDream can dream with (MobileNetV2 and Darknet Tiny): their layers from shallow
// to deep (name, channels, stride, receptive field), five named presets a designer can pick without knowing layer
// names (the table is layers.ts, shared with the panel), a layer's activations, class logits and labels.
// Everything else in techniques/dream/ speaks only this.
//
// Channels and strides are read from one small forward pass (so they cannot drift from the weights); receptive
// fields are computed from the architectures' kernel sizes (MobileNetV2: a 3x3 stem and one 3x3 depthwise conv per
// block, everything else 1x1; Darknet Tiny: the published layer table below), because tiled gradients need the
// theoretical field, which no measurement through ReLUs can give.
import * as tf from '@tensorflow/tfjs';
import type { DarknetTiny } from '../../models/networks/darknet-tiny';
import type { MobileNetEndpoint, MobileNetV2 } from '../../models/networks/mobilenet-v2';
import { PasticheError } from '../errors';
import { DREAM_LAYERS, DREAM_PRESET_LAYERS, DREAM_PRESETS, type DreamModel, type DreamPresetName } from './layers';

export { DREAM_PRESETS, type DreamPresetName };

export interface DreamLayer {
  name: string;
  channels: number;
  /** Input pixels per activation step (2 after the stem, 32 at the end of MobileNetV2). */
  stride: number;
  /** Side in input pixels of the window one activation sees (theoretical receptive field). */
  receptiveField: number;
}

export interface DreamPreset {
  name: DreamPresetName;
  /** The real layer, shown beside the friendly name ("Patterns · block_6"). */
  layer: string;
}

export interface DreamNetwork {
  readonly id: 'mobilenet_v2' | 'darknet_tiny';
  /** Shallow to deep. */
  readonly layers: readonly DreamLayer[];
  readonly presets: readonly DreamPreset[];
  /** Class labels in logit order (MobileNetV2: 1001 with "background" at 0; Darknet: 1000). */
  readonly labels: readonly string[];
  /** Stride and receptive field of the class logits (what a class objective reaches through). */
  readonly classifier: Omit<DreamLayer, 'name' | 'channels'>;
  layer(name: string): DreamLayer;
  /** Activations [1,h,w,C] of one layer for RGB in 0..1 [1,H,W,3]; differentiable. The caller owns the result. */
  activations(image: tf.Tensor4D, layer: string): tf.Tensor4D;
  /** Class logits [1, labels.length]: the spatial mean of per-position scores (both networks pool then apply an
   *  affine map, or the reverse), which is what lets a class objective be computed tile by tile. */
  logits(image: tf.Tensor4D): tf.Tensor2D;
}

/** A layer name or a preset name ("Patterns") to the layer (a clear error naming the choices otherwise). */
export function resolveLayer(net: DreamNetwork, layerOrPreset: string): DreamLayer {
  const preset = net.presets.find((p) => p.name.toLowerCase() === layerOrPreset.toLowerCase());
  return net.layer(preset ? preset.layer : layerOrPreset);
}

/** "Patterns · block_6" */
export function presetLabel(preset: DreamPreset): string {
  return `${preset.name} · ${preset.layer}`;
}

/** The adapter for whichever of the two networks `net` is. */
export function dreamNetwork(net: MobileNetV2 | DarknetTiny): DreamNetwork {
  return 'endpoints' in net ? mobileNetDream(net) : darknetDream(net);
}

const PROBE_SIZE = 64;

/** The layers the panel offers (layers.ts, written without loading a network) must exist in the loaded one. */
function checkListedLayers(layers: readonly DreamLayer[], model: DreamModel, networkName: string): void {
  const missing = DREAM_LAYERS[model].filter((name) => !layers.some((l) => l.name === name));
  if (missing.length > 0) throw new PasticheError('model-unavailable', `The converted ${networkName} lacks the layers ${missing.join(', ')} (run "npm run models").`);
}

function layerLookup(layers: readonly DreamLayer[], networkName: string): (name: string) => DreamLayer {
  const byName = new Map(layers.map((l) => [l.name, l]));
  return (name) => {
    const l = byName.get(name);
    if (!l) throw new PasticheError('bad-params', `${networkName} has no layer "${name}" (layers: ${layers.map((x) => x.name).join(', ')}; presets: ${DREAM_PRESETS.join(', ')}).`);
    return l;
  };
}

/** Receptive fields along a chain of (kernel, stride) convolutions and pools. */
function receptiveFields(chain: readonly { kernel: number; stride: number }[]): number[] {
  let field = 1;
  let jump = 1;
  return chain.map(({ kernel, stride }) => {
    field += (kernel - 1) * jump;
    jump *= stride;
    return field;
  });
}

const adapters = new WeakMap<object, DreamNetwork>();

export function mobileNetDream(net: MobileNetV2): DreamNetwork {
  const known = adapters.get(net);
  if (known) return known;
  const names: MobileNetEndpoint[] = ['stem', ...Array.from({ length: net.blockCount }, (_, i) => `block_${i}` as const), 'head'];
  const shapes = tf.tidy(() => {
    const out = net.endpoints(tf.zeros([1, PROBE_SIZE, PROBE_SIZE, 3]) as tf.Tensor4D, names);
    return names.map((n) => out[n].shape as [number, number, number, number]);
  });
  // Stem: 3x3 stride 2. Block i: one 3x3 depthwise conv carrying the block's stride (expand and project are 1x1).
  // Head: 1x1. Per-layer strides follow from the probed sizes.
  const strides = shapes.map((s) => PROBE_SIZE / s[1]);
  const chain = names.map((n, i) => ({ kernel: n === 'head' ? 1 : 3, stride: strides[i] / (i === 0 ? 1 : strides[i - 1]) }));
  const fields = receptiveFields(chain);
  const layers = names.map((name, i) => ({ name, channels: shapes[i][3], stride: strides[i], receptiveField: fields[i] }));
  checkListedLayers(layers, 'mobilenet', 'MobileNetV2');
  const layer = layerLookup(layers, 'MobileNetV2');
  const last = layers[layers.length - 1];
  const adapter: DreamNetwork = {
    id: 'mobilenet_v2',
    layers,
    presets: DREAM_PRESETS.map((name) => ({ name, layer: layer(DREAM_PRESET_LAYERS.mobilenet[name]).name })),
    labels: net.labels,
    classifier: { stride: last.stride, receptiveField: last.receptiveField },
    layer,
    activations: (image, name) => {
      layer(name);
      return net.endpoints(image, [name as MobileNetEndpoint])[name as MobileNetEndpoint] as tf.Tensor4D;
    },
    logits: (image) => net.logits(image),
  };
  adapters.set(net, adapter);
  return adapter;
}

// Darknet Tiny (Redmon): 3x3 convs except these 1x1 "squeeze" layers; 2x2 stride-2 max pools.
const DARKNET_1X1 = new Set(['conv3', 'conv5', 'conv7', 'conv9', 'conv11', 'conv13', 'conv15', 'conv16']);

export function darknetDream(net: DarknetTiny): DreamNetwork {
  const known = adapters.get(net);
  if (known) return known;
  const names = [...net.layers];
  const shapes = tf.tidy(() => {
    const out = net.features(tf.zeros([1, PROBE_SIZE, PROBE_SIZE, 3]) as tf.Tensor4D, names);
    return names.map((n) => out[n].shape as [number, number, number, number]);
  });
  const strides = shapes.map((s) => PROBE_SIZE / s[1]);
  const chain = names.map((n, i) => {
    const stride = strides[i] / (i === 0 ? 1 : strides[i - 1]);
    return { kernel: n.startsWith('pool') ? 2 : DARKNET_1X1.has(n) ? 1 : 3, stride };
  });
  const fields = receptiveFields(chain);
  const layers = names.map((name, i) => ({ name, channels: shapes[i][3], stride: strides[i], receptiveField: fields[i] }));
  checkListedLayers(layers, 'darknet', 'Darknet Tiny');
  const layer = layerLookup(layers, 'Darknet Tiny');
  const last = layers[layers.length - 1];
  const adapter: DreamNetwork = {
    id: 'darknet_tiny',
    layers,
    presets: DREAM_PRESETS.map((name) => ({ name, layer: layer(DREAM_PRESET_LAYERS.darknet[name]).name })),
    labels: net.labels,
    classifier: { stride: last.stride, receptiveField: last.receptiveField },
    layer,
    activations: (image, name) => {
      layer(name);
      return net.features(image, [name])[name];
    },
    logits: (image) => net.logits(image),
  };
  adapters.set(net, adapter);
  return adapter;
}

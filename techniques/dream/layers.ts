// The layers a designer can dream at, per network, without loading it: the panel's menus and the presets, and the
// network and layer parameters every dream technique shares. No TF.js here (the UI and the sandbox read it);
// network.ts checks these names against the loaded network.
import { choiceParam, textParam } from '../params';
export const DREAM_PRESETS = ['Edges', 'Textures', 'Patterns', 'Parts', 'Objects'] as const;
export type DreamPresetName = (typeof DREAM_PRESETS)[number];

export type DreamModel = 'mobilenet' | 'darknet';

/** Shallow to deep: MobileNetV2's stem, its 17 inverted-residual blocks and its 1x1 head; Darknet-tiny's blocks. */
export const DREAM_LAYERS: Record<DreamModel, readonly string[]> = {
  mobilenet: ['stem', ...Array.from({ length: 17 }, (_, i) => `block_${i}`), 'head'],
  darknet: ['conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'conv4', 'conv5', 'conv6', 'pool3', 'conv7', 'conv8', 'conv9', 'conv10', 'pool4', 'conv11', 'conv12', 'conv13', 'conv14', 'conv15', 'conv16'],
};

/** Each preset's real layer: from edges (shallow) to object parts (deep). */
export const DREAM_PRESET_LAYERS: Record<DreamModel, Record<DreamPresetName, string>> = {
  mobilenet: { Edges: 'block_1', Textures: 'block_3', Patterns: 'block_6', Parts: 'block_8', Objects: 'block_12' },
  darknet: { Edges: 'conv2', Textures: 'conv4', Patterns: 'conv8', Parts: 'conv10', Objects: 'conv13' },
};

/** Which network dreams (Dream, Channel sheet). */
export const dreamModelParam = (help: string) =>
  choiceParam({
    label: 'Network',
    help,
    options: [
      { value: 'mobilenet', label: 'MobileNetV2' },
      { value: 'darknet', label: 'Darknet-tiny' },
    ],
    default: 'mobilenet',
  });

/** A layer: a preset name or a real layer name (checked against the network when the job runs). */
export const dreamLayerParam = () =>
  textParam({ label: 'Layer', help: 'a preset (Edges, Textures, Patterns, Parts, Objects) or a layer name (pastiche dream --list-layers)', default: 'Patterns', maxLength: 40 });

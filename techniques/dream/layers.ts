// The layers a designer can dream at, per network, without loading it: the panel's menus and the presets. No TF.js
// here (the UI and the sandbox read it); network.ts checks these names against the loaded network.
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

// DeepDream's public surface (CS231n lecture 12): dream() and its defaults, the network adapter with its presets,
// objectives, class search, the channel preview sheet, and the gradient set-up other techniques may share.
export { DREAM_DEFAULTS, MAX_DREAM_SIDE, dream, octaveSizes, type DreamContext, type DreamParams, type DreamResult } from './dream';
export { DREAM_PRESETS, darknetDream, dreamNetwork, mobileNetDream, presetLabel, resolveLayer, type DreamLayer, type DreamNetwork, type DreamPreset, type DreamPresetName } from './network';
export { resolveObjective, type DreamObjective, type ResolvedObjective } from './objective';
export { classIndexByLabel, findClasses, type ClassMatch } from './classes';
export { CHANNEL_SHEET_DEFAULTS, channelPreviewSheet, rankChannels, type ChannelPreview, type ChannelSheetOptions } from './channel-sheet';
export { useFastGradients, withKernelCache } from '../optimize/fast-gradients';
export { objectiveGradient, planTiles, type GradientOptions, type TilePlan } from './tiled-gradient';
export { createDreamStep, type DreamStep, type DreamStepOptions } from './step';

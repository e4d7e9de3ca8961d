// First-layer views: the filters sheet and the strongest channel responses to an image.
export { FIRST_CONV, type ChannelOrder, type FirstConvInfo, type FirstConvNetwork } from './first-conv';
export { DEFAULT_SHEET, filterSheet, normalizedKernel, readKernel, type FilterSheet, type FilterSheetOptions, type KernelWeights, type SheetCell } from './kernel-sheet';
export { DEFAULT_RESPONSES, firstLayerResponses, strongestChannels, type ChannelResponse, type ResponseOptions } from './responses';

// Feature inversion (Mahendran & Vedaldi 2015) over VGG19, MobileNetV2 and Darknet-tiny: what a layer keeps.
export { type FeatureNetwork, type FeatureNetworkName, darknetTinyFeatureNetwork, mobileNetV2FeatureNetwork, vgg19FeatureNetwork } from './feature-network';
export { DARKNET_TINY_SWEEP, MOBILENET_V2_SWEEP, VGG19_SWEEP } from './sweep-layers';
export { DEFAULT_INVERSION, INVERSION_STAGES, invertFeatures, type InversionParams, type InversionPlacement, type InversionResult } from './invert';
export { invertSweep, type SweepParams } from './sweep';
export { createInversionObjective, type InversionObjective, type InversionParts, type InversionWeights } from './objective';
export { psnr } from './psnr';

// The networks the Explore tools (reconstruct, filters) look inside, as a designer and the CLI name them. No TF.js.
export const EXPLORE_MODELS = { vgg19: 'vgg19', mobilenet: 'mobilenet_v2', darknet: 'darknet_tiny' } as const;
export type ExploreModel = keyof typeof EXPLORE_MODELS;

export const EXPLORE_MODEL_OPTIONS = [
  { value: 'vgg19', label: 'VGG19' },
  { value: 'mobilenet', label: 'MobileNetV2' },
  { value: 'darknet', label: 'Darknet-tiny' },
] as const satisfies readonly { value: ExploreModel; label: string }[];

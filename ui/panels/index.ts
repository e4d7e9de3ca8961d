// The panels, in tab order. A technique issue replaces its ComingSoon entry with a real panel.
export const PANELS = [
  { id: 'style', label: 'Style' },
  { id: 'texture', label: 'Texture' },
  { id: 'dream', label: 'Dream' },
  { id: 'explore', label: 'Explore' },
  { id: 'basics', label: 'Basics' },
] as const;

export type PanelId = (typeof PANELS)[number]['id'];

export const COMING: Record<Exclude<PanelId, 'basics' | 'style'>, { title: string; lines: string[] }> = {
  texture: {
    title: 'Texture fill',
    lines: ['Fill a shape or frame of any size with texture synthesized from a sample patch (Gram matrices).'],
  },
  dream: {
    title: 'DeepDream',
    lines: ['Gradient ascent on a layer’s activations, with jitter, normalized steps and octaves.'],
  },
  explore: {
    title: 'Explore the network',
    lines: [
      'Reconstruct an image from one layer’s features; first-layer filters;',
      'nearest neighbours and t-SNE of your layers by their last-layer features.',
    ],
  },
};

// The public-domain paintings bundled as style presets (the "styles" images of models/manifest.json).
export const STYLE_PRESETS = [
  { id: 'starry_night', label: 'The Starry Night (van Gogh)', short: 'Starry Night' },
  { id: 'great_wave', label: 'The Great Wave (Hokusai)', short: 'Great Wave' },
  { id: 'the_scream', label: 'The Scream (Munch)', short: 'The Scream' },
  { id: 'shipwreck', label: 'The Shipwreck of the Minotaur (Turner)', short: 'Shipwreck' },
] as const;

export type StylePresetId = (typeof STYLE_PRESETS)[number]['id'];
export const STYLE_PRESET_IDS = STYLE_PRESETS.map((preset) => preset.id) as unknown as [StylePresetId, ...StylePresetId[]];

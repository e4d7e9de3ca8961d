// Bundled images as thumbnails with their names (style paintings, texture samples), plus "Layer": another
// selected layer used instead.
import thumbnails from 'pastiche:thumbnails';
import type { AssetKind } from '../../techniques/technique-spec';

export interface PresetPickerProps {
  kind: AssetKind;
  presets: readonly { id: string; label: string; short: string }[];
  value: string;
  layerAvailable: boolean;
  /** What "Layer" means here, for its tooltip. */
  layerHint: { available: string; unavailable: string };
  onPick: (value: string) => void;
  label: string;
}

export function PresetPicker({ kind, presets, value, layerAvailable, layerHint, onPick, label }: PresetPickerProps) {
  return (
    <div class="pastiche-presets" role="listbox" aria-label={label}>
      {presets.map((preset) => (
        <button
          type="button"
          key={preset.id}
          role="option"
          aria-selected={value === preset.id}
          title={preset.label}
          data-testid={`preset-${preset.id}`}
          class={value === preset.id ? 'selected' : ''}
          onClick={() => onPick(preset.id)}
        >
          <img src={thumbnails[kind][preset.id]} alt={preset.label} />
          <span class="pastiche-caption">{preset.short}</span>
        </button>
      ))}
      <button
        type="button"
        role="option"
        aria-selected={value === 'layer'}
        title={layerAvailable ? layerHint.available : layerHint.unavailable}
        data-testid="preset-layer"
        class={`layer${value === 'layer' ? ' selected' : ''}`}
        disabled={!layerAvailable}
        onClick={() => onPick('layer')}
      >
        Layer
      </button>
    </div>
  );
}

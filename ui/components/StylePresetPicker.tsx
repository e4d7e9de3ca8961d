// The painting presets as thumbnails, plus "Layer" (another selected layer as the style).
import thumbnails from 'pastiche:thumbnails';
import { STYLE_PRESETS } from '../../techniques/style/presets';
import type { StyleChoice } from '../../techniques/style/spec';

export function StylePresetPicker(props: { value: StyleChoice['source']; layerAvailable: boolean; onPick: (source: StyleChoice['source']) => void }) {
  const { value, layerAvailable, onPick } = props;
  return (
    <div class="pastiche-presets" role="listbox" aria-label="Style">
      {STYLE_PRESETS.map((preset) => (
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
          <img src={thumbnails.styles[preset.id]} alt={preset.label} />
          <span class="pastiche-caption">{preset.short}</span>
        </button>
      ))}
      <button
        type="button"
        role="option"
        aria-selected={value === 'layer'}
        title={layerAvailable ? 'Use another selected layer as the style' : 'Select two layers: the content and the style'}
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

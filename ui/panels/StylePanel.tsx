// Style transfer: pick a painting (or another selected layer), tune it, apply. Fast = one network pass;
// Fine = Gatys optimization, with a live preview and "stop and keep".
import { Button, Disclosure, Dropdown, IconButton, IconClose16, IconPlus16, SegmentedControl, Text, Muted, Toggle, VerticalSpace } from '@create-figma-plugin/ui';
import { useEffect, useState } from 'preact/hooks';
import { STYLE_PRESETS, TECHNIQUES, type GatysParams, type StyleChoice, type StyleParams } from '../../techniques/catalog';
import type { LayerSummary } from '../../plugin/messages';
import { NumberField } from '../components/NumberField';
import { Slider } from '../components/Slider';
import { StylePresetPicker } from '../components/StylePresetPicker';
import type { PanelProps } from './panel-props';

const MAX_STYLES = 3;
const SIZES = [0, 512, 1024, 2048, 4096];
const percent = (v: number) => `${Math.round(v * 100)}%`;

export function StylePanel({ params, setParams, run, canRun, selection }: PanelProps & { selection: LayerSummary[] }) {
  const style: StyleParams = { ...TECHNIQUES.style.defaults, ...params.style };
  const update = (next: Partial<StyleParams>) => setParams('style', { ...style, ...next });
  const updateGatys = (next: Partial<GatysParams>) => update({ gatys: { ...style.gatys, ...next } });
  const [fineOpen, setFineOpen] = useState(false);

  // With a layer as the style, one selected layer is the style and the others are stylized: by default the one
  // selected last (select the photo, then shift-click the painting); a new selection resets the choice.
  const [styleLayerId, setStyleLayerId] = useState<string | null>(null);
  const selectionKey = selection.map((layer) => layer.id).join(',');
  useEffect(() => setStyleLayerId(selection.at(-1)?.id ?? null), [selectionKey]);
  const usesLayer = style.styles.some((choice) => choice.source === 'layer');
  const layerAvailable = selection.length >= 2;
  const styleLayer = selection.find((layer) => layer.id === styleLayerId);
  const contentLayers = usesLayer ? selection.filter((layer) => layer.id !== styleLayerId) : selection;
  const ready = canRun && (!usesLayer || (layerAvailable && styleLayer !== undefined));

  const setChoice = (index: number, choice: Partial<StyleChoice>) =>
    update({ styles: style.styles.map((c, i) => (i === index ? { ...c, ...choice } : c)) });
  const addStyle = () => {
    const unused = STYLE_PRESETS.find((preset) => !style.styles.some((c) => c.source === preset.id));
    update({ styles: [...style.styles, { source: unused?.id ?? 'starry_night', weight: 1 }] });
  };
  const sourceOptions = [
    ...STYLE_PRESETS.map((preset) => ({ value: preset.id, text: preset.label })),
    ...(layerAvailable ? [{ value: 'layer', text: `Layer: ${styleLayer?.name ?? 'selected'}` }] : []),
  ];

  return (
    <div data-testid="style-panel">
      <SegmentedControl
        options={[{ value: 'fast', children: 'Fast' }, { value: 'gatys', children: 'Fine (Gatys)' }]}
        value={style.method}
        onValueChange={(method) => update({ method: method as StyleParams['method'] })}
      />
      <VerticalSpace space="small" />
      <StylePresetPicker value={style.styles[0].source} layerAvailable={layerAvailable} onPick={(source) => setChoice(0, { source })} />
      <VerticalSpace space="small" />
      {style.styles.length > 1 &&
        style.styles.map((choice, index) => (
          <div class="pastiche-row" key={index}>
            <Dropdown options={sourceOptions} value={choice.source} onValueChange={(source) => setChoice(index, { source: source as StyleChoice['source'] })} />
            <Slider label="" value={choice.weight} minimum={0.05} maximum={1} step={0.05} format={percent} onChange={(weight) => setChoice(index, { weight })} />
            <IconButton title="Remove this style" onClick={() => update({ styles: style.styles.filter((_, i) => i !== index) })}>
              <IconClose16 />
            </IconButton>
          </div>
        ))}
      {style.styles.length < MAX_STYLES && (
        <Button secondary onClick={addStyle} data-testid="add-style">
          <span class="pastiche-row"><IconPlus16 /> Blend another style</span>
        </Button>
      )}
      {usesLayer && (
        <>
          <VerticalSpace space="small" />
          {styleLayer && layerAvailable ? (
            <div class="pastiche-row" data-testid="roles">
              <Text>
                Content: {contentLayers.map((l) => l.name).join(', ')} · Style: {styleLayer.name}
              </Text>
              {selection.length === 2 && (
                <Button secondary onClick={() => setStyleLayerId(contentLayers[0].id)} data-testid="swap-roles">
                  Swap
                </Button>
              )}
            </div>
          ) : (
            <Text><Muted>Select two layers: the one to stylize and the one to take the style from.</Muted></Text>
          )}
        </>
      )}
      <VerticalSpace space="medium" />
      <Slider label="Strength" value={style.strength} minimum={0} maximum={1} step={0.01} format={percent} onChange={(strength) => update({ strength })} testId="strength" />
      <VerticalSpace space="small" />
      <Slider label="Style scale" value={style.styleScale} minimum={0.25} maximum={2} step={0.05} format={(v) => `${v.toFixed(2)}×`} onChange={(styleScale) => update({ styleScale })} />
      <VerticalSpace space="small" />
      <Toggle value={style.preserveColors} onValueChange={(preserveColors) => update({ preserveColors })}>
        <Text>Keep the content’s colours</Text>
      </Toggle>
      <VerticalSpace space="small" />
      <div class="pastiche-field">
        <Text><Muted>Output size</Muted></Text>
        <Dropdown
          options={SIZES.map((size) => ({ value: String(size), text: size === 0 ? 'Layer size' : `${size} px` }))}
          value={String(style.size)}
          onValueChange={(size) => update({ size: Number(size) })}
        />
      </div>
      {style.method === 'gatys' && (
        <Disclosure title="Fine control" open={fineOpen} onClick={() => setFineOpen(!fineOpen)}>
          <NumberField label="Steps" value={style.gatys.steps} minimum={1} maximum={5000} integer onChange={(steps) => updateGatys({ steps })} />
          <NumberField label="Content weight" value={style.gatys.contentWeight} minimum={0} onChange={(contentWeight) => updateGatys({ contentWeight })} />
          <NumberField label="Style weight" value={style.gatys.styleWeight} minimum={0} onChange={(styleWeight) => updateGatys({ styleWeight })} />
          <NumberField label="Smoothness (TV)" value={style.gatys.tvWeight} minimum={0} onChange={(tvWeight) => updateGatys({ tvWeight })} />
          <NumberField label="Scales" value={style.gatys.pyramidLevels} minimum={1} maximum={4} integer onChange={(pyramidLevels) => updateGatys({ pyramidLevels })} />
          <VerticalSpace space="extraSmall" />
          <SegmentedControl
            options={[{ value: 'content', children: 'From content' }, { value: 'noise', children: 'From noise' }]}
            value={style.gatys.init}
            onValueChange={(init) => updateGatys({ init: init as GatysParams['init'] })}
          />
          <VerticalSpace space="extraSmall" />
          <SegmentedControl
            options={[{ value: 'lbfgs', children: 'L-BFGS' }, { value: 'adam', children: 'Adam' }]}
            value={style.gatys.optimizer}
            onValueChange={(optimizer) => updateGatys({ optimizer: optimizer as GatysParams['optimizer'] })}
          />
        </Disclosure>
      )}
      <VerticalSpace space="medium" />
      <Button
        fullWidth
        disabled={!ready}
        data-testid="run"
        onClick={() => run({ technique: 'style', params: style, ...(usesLayer && styleLayer ? { referenceId: styleLayer.id } : {}) })}
      >
        Apply style
      </Button>
    </div>
  );
}

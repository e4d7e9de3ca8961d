// Style transfer: pick a painting (or another selected layer), tune it, apply. Quick = one network pass;
// Detailed = Gatys optimization, with a live preview and "stop and keep". Ranges come from the style's schema.
import { Button, Disclosure, Dropdown, IconButton, IconClose16, IconPlus16, SegmentedControl, Text, Muted, VerticalSpace } from '@create-figma-plugin/ui';
import { useState } from 'preact/hooks';
import { paramField, type ParamField } from '../../techniques/params';
import { STYLE_PRESETS } from '../../techniques/style/presets';
import { styleSpec, type GatysParams, type StyleChoice, type StyleParams } from '../../techniques/style/spec';
import { ActionBar } from '../components/ActionBar';
import { ParamControl } from '../components/ParamControl';
import { Slider } from '../components/Slider';
import { PresetPicker } from '../components/PresetPicker';
import { RolesLine } from '../components/RolesLine';
import { useRoles } from '../components/use-roles';
import type { PanelProps } from './panel-props';

const MAX_STYLES = 3;
const SIZES = [0, 512, 1024, 2048, 4096];
const percent = (v: number) => `${Math.round(v * 100)}%`;
const field = (key: keyof StyleParams) => paramField(styleSpec.params, key);
const gatysFields = (paramField(styleSpec.params, 'gatys') as Extract<ParamField, { kind: 'group' }>).fields;

export function StylePanel({ paramsOf, setParams, run, canRun, selection }: PanelProps) {
  const style = paramsOf('style');
  const update = (next: Partial<StyleParams>) => setParams('style', { ...style, ...next });
  const updateGatys = (next: Partial<GatysParams>) => update({ gatys: { ...style.gatys, ...next } });
  const [fineOpen, setFineOpen] = useState(false);

  const roles = useRoles(selection);
  const usesLayer = style.styles.some((choice) => choice.source === 'layer');
  const layerAvailable = selection.length >= 2;
  const styleLayer = roles.reference;
  const ready = canRun && (!usesLayer || styleLayer !== undefined);

  const setChoice = (index: number, choice: Partial<StyleChoice>) =>
    update({ styles: style.styles.map((c, i) => (i === index ? { ...c, ...choice } : c)) });
  const addStyle = () => {
    const unused = STYLE_PRESETS.find((preset) => !style.styles.some((c) => c.source === preset.id));
    update({ styles: [...style.styles, { source: unused?.id ?? 'starry_night', weight: 1 }] });
  };
  const sourceOptions = [
    ...STYLE_PRESETS.map((preset) => ({ value: preset.id, text: preset.short })),
    ...(layerAvailable ? [{ value: 'layer', text: `Layer: ${styleLayer?.name ?? 'selected'}` }] : []),
  ];
  const method = field('method');

  return (
    <div data-testid="style-panel">
      <SegmentedControl
        options={method.kind === 'choice' ? method.options.map((o) => ({ value: o.value, children: o.label })) : []}
        value={style.method}
        onValueChange={(value) => update({ method: value as StyleParams['method'] })}
      />
      <VerticalSpace space="small" />
      <PresetPicker
        kind="styles"
        label="Style"
        presets={STYLE_PRESETS}
        value={style.styles[0].source}
        layerAvailable={layerAvailable}
        layerHint={{ available: 'Use another selected layer as the style', unavailable: 'Select two layers: the content and the style' }}
        onPick={(source) => setChoice(0, { source: source as StyleChoice['source'] })}
      />
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
          <RolesLine roles={roles} workedOn="Content" read="Style" missing="Select two layers: the one to stylize and the one to take the style from." />
        </>
      )}
      <VerticalSpace space="medium" />
      <ParamControl field={field('strength')} value={style.strength} onChange={(strength) => update({ strength: strength as number })} />
      <VerticalSpace space="small" />
      <ParamControl field={field('styleScale')} value={style.styleScale} onChange={(styleScale) => update({ styleScale: styleScale as number })} />
      <VerticalSpace space="small" />
      <ParamControl field={field('preserveColors')} value={style.preserveColors} onChange={(preserveColors) => update({ preserveColors: preserveColors as boolean })} />
      <VerticalSpace space="small" />
      <div class="pastiche-field" title={field('size').kind === 'number' ? (field('size') as { help: string }).help : ''}>
        <Text><Muted>Output size</Muted></Text>
        <Dropdown
          options={SIZES.map((size) => ({ value: String(size), text: size === 0 ? 'Layer size' : `${size} px` }))}
          value={String(style.size)}
          onValueChange={(size) => update({ size: Number(size) })}
        />
      </div>
      {style.method === 'gatys' && (
        <Disclosure title="Fine control" open={fineOpen} onClick={() => setFineOpen(!fineOpen)}>
          {gatysFields
            .filter((f) => !('hidden' in f && f.hidden))
            .map((f) => (
              <div key={f.key}>
                <ParamControl field={f} value={style.gatys[f.key as keyof GatysParams]} onChange={(value) => updateGatys({ [f.key]: value } as Partial<GatysParams>)} />
                <VerticalSpace space="extraSmall" />
              </div>
            ))}
        </Disclosure>
      )}
      <ActionBar>
        <Button
          fullWidth
          disabled={!ready}
          data-testid="run"
          onClick={() => run({ technique: 'style', params: style, ...(usesLayer && styleLayer ? { referenceId: styleLayer.id } : {}) })}
        >
          Apply style
        </Button>
      </ActionBar>
    </div>
  );
}

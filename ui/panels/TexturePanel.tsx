// Texture fill. Fill shape: the selected shape gets texture from a bundled sample or from the other selected layer
// (the panel says which is the sample and which the target; Swap flips them). Seamless / Extend: the selected layer
// is the sample, made tileable or extended to W×H. Quick = stitched patches; Detailed = neural (VGG19 statistics).
import { Button, Disclosure, SegmentedControl, Text, Muted, VerticalSpace } from '@create-figma-plugin/ui';
import { useState } from 'preact/hooks';
import { paramField, paramFields, type ParamField } from '../../techniques/params';
import { MAX_FILL_SIDE, TEXTURE_PRESETS, textureSpec, type TextureParams } from '../../techniques/texture/spec';
import { ActionBar } from '../components/ActionBar';
import { ParamControl } from '../components/ParamControl';
import { PresetPicker } from '../components/PresetPicker';
import { RolesLine } from '../components/RolesLine';
import { useRoles } from '../components/use-roles';
import type { PanelProps } from './panel-props';

const field = (key: keyof TextureParams) => paramField(textureSpec.params, key);
const choices = (key: keyof TextureParams) => {
  const f = field(key);
  return f.kind === 'choice' ? f.options.map((o) => ({ value: o.value, children: o.label })) : [];
};
const PRESETS = TEXTURE_PRESETS.map((id) => ({ id, label: id[0].toUpperCase() + id.slice(1), short: id[0].toUpperCase() + id.slice(1) }));

export function TexturePanel({ paramsOf, setParams, run, canRun, selection }: PanelProps) {
  const p = paramsOf('texture');
  const update = (next: Partial<TextureParams>) => setParams('texture', { ...p, ...next });
  const [moreOpen, setMoreOpen] = useState(false);
  const roles = useRoles(selection);
  const fill = p.make === 'fill';
  /** The largest side of the shapes to fill, in points: above the direct limit, a tile is the better fill. */
  const largest = Math.max(0, ...roles.others.map((layer) => Math.max(layer.width, layer.height)));
  const usesLayer = fill && p.sample === 'layer';
  const ready = canRun && (!usesLayer || roles.reference !== undefined);
  const control = (f: ParamField) => (
    <div key={f.key}>
      <ParamControl field={f} value={p[f.key as keyof TextureParams]} onChange={(value) => update({ [f.key]: value } as Partial<TextureParams>)} />
      <VerticalSpace space="small" />
    </div>
  );
  const advanced = paramFields(textureSpec.params).filter((f) => 'advanced' in f && f.advanced && (f.key !== 'tileSize' || (fill && p.tile)));

  return (
    <div data-testid="panel-texture">
      <SegmentedControl options={choices('make')} value={p.make} onValueChange={(make) => update({ make: make as TextureParams['make'] })} />
      <VerticalSpace space="small" />
      {fill ? (
        <>
          <PresetPicker
            kind="textures"
            label="Sample"
            presets={PRESETS}
            value={p.sample}
            layerAvailable={selection.length >= 2}
            layerHint={{ available: 'Take the texture from another selected layer', unavailable: 'Select the shape to fill and the layer to take the texture from' }}
            onPick={(sample) => update({ sample: sample as TextureParams['sample'] })}
          />
          <VerticalSpace space="small" />
          {usesLayer && <RolesLine roles={roles} workedOn="Fill" read="Sample" missing="Select two layers: the shape to fill and the layer to take the texture from." />}
        </>
      ) : (
        <Text><Muted>{p.make === 'seamless' ? 'The selected layer is the sample: it is made tileable.' : 'The selected layer is the sample: it is extended to the size below.'}</Muted></Text>
      )}
      <VerticalSpace space="small" />
      <Text><Muted>Method</Muted></Text>
      <VerticalSpace space="extraSmall" />
      <SegmentedControl options={choices('method')} value={p.method} onValueChange={(method) => update({ method: method as TextureParams['method'] })} />
      <VerticalSpace space="small" />
      {control(field('scale'))}
      {fill && control(field('resolution'))}
      {fill && control(field('tile'))}
      {fill && !p.tile && largest * p.resolution > MAX_FILL_SIDE && (
        <Text data-testid="tile-hint">
          <Muted>This shape is over {MAX_FILL_SIDE} px at {p.resolution}×: one image would be stretched. A seamless tile covers any size.</Muted>
        </Text>
      )}
      {p.make === 'extend' && (
        <>
          {control(field('width'))}
          {control(field('height'))}
          {control(field('seamless'))}
        </>
      )}
      <Disclosure title="More settings" open={moreOpen} onClick={() => setMoreOpen(!moreOpen)}>
        {advanced.map(control)}
      </Disclosure>
      <ActionBar>
        <Button
          fullWidth
          disabled={!ready}
          data-testid="run"
          onClick={() => run({ technique: 'texture', params: p, ...(usesLayer && roles.reference ? { referenceId: roles.reference.id } : {}) })}
        >
          {fill ? 'Fill with texture' : p.make === 'seamless' ? 'Make seamless' : 'Extend'}
        </Button>
      </ActionBar>
    </div>
  );
}

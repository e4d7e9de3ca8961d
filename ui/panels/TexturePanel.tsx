// Texture fill. Fill shape: the selected shape gets texture from a bundled sample or from the other selected layer
// (the panel says which is the sample and which the target; Swap flips them). Seamless / Extend: the selected layer
// is the sample, made tileable or extended to W×H. Quick = stitched patches; Detailed = neural (VGG19 statistics).
import { Button, Disclosure, SegmentedControl, Text, Muted, VerticalSpace } from '@create-figma-plugin/ui';
import { useState } from 'preact/hooks';
import { paramField, paramFields, type ParamField } from '../../techniques/params';
import { fillAsTile, fillOverLimit } from '../../techniques/texture/fill-plan';
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
  const saved = paramsOf('texture');
  const update = (next: Partial<TextureParams>) => setParams('texture', { ...saved, ...next });
  const [moreOpen, setMoreOpen] = useState(false);
  const roles = useRoles(selection);
  const fill = saved.make === 'fill';
  // Shapes too large for one image are filled with a seamless tile, preselected; turning it off is a choice for
  // these shapes only (not saved), and the panel then says the image will be stretched.
  const targets = roles.others.map((layer) => layer.id).join(',');
  const [tileChoice, setTileChoice] = useState<{ targets: string; tile: boolean } | null>(null);
  const overLimit = fill && fillOverLimit(roles.others, saved.resolution);
  const choiceForTargets = tileChoice?.targets === targets ? tileChoice.tile : undefined;
  const p: TextureParams = { ...saved, tile: fillAsTile(saved.tile, overLimit, choiceForTargets) };
  const usesLayer = fill && p.sample === 'layer';
  const ready = canRun && (!usesLayer || roles.reference !== undefined);
  const change = (key: string, value: unknown) =>
    key === 'tile' && overLimit ? setTileChoice({ targets, tile: Boolean(value) }) : update({ [key]: value } as Partial<TextureParams>);
  const control = (f: ParamField) => (
    <div key={f.key}>
      <ParamControl field={f} value={p[f.key as keyof TextureParams]} onChange={(value) => change(f.key, value)} />
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
      {overLimit && (
        <Text data-testid="tile-hint">
          <Muted>
            {`${roles.others.length > 1 ? 'A selected shape is' : 'This shape is'} over ${MAX_FILL_SIDE} px at ${p.resolution}×: `}
            {p.tile ? `it is filled with a repeating ${p.tileSize} px seamless tile.` : `one ${MAX_FILL_SIDE} px image will be stretched over it.`}
          </Muted>
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

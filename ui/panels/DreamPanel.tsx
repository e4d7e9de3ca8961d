// DeepDream: the network, a layer (named presets with their real layer, or any layer), what to amplify (the layer,
// one channel, an ImageNet class), where to start (the element or noise), and the lecture's controls.
import { Button, Disclosure, Dropdown, SegmentedControl, Text, Muted, VerticalSpace, type DropdownOption } from '@create-figma-plugin/ui';
import { useState } from 'preact/hooks';
import { paramField, paramFields, type ParamField } from '../../techniques/params';
import { DREAM_LAYERS, DREAM_PRESETS, DREAM_PRESET_LAYERS } from '../../techniques/dream/layers';
import { dreamSpec, type DreamSpecParams } from '../../techniques/dream/spec';
import { ActionBar } from '../components/ActionBar';
import { ParamControl } from '../components/ParamControl';
import type { PanelProps } from './panel-props';
import labels from 'pastiche:labels';
import { findClasses } from '../../techniques/dream/classes';
import { shortLabel } from '../../models/networks/label-text';

const field = (key: keyof DreamSpecParams) => paramField(dreamSpec.params, key);
const choices = (key: keyof DreamSpecParams) => {
  const f = field(key);
  return f.kind === 'choice' ? f.options.map((o) => ({ value: o.value, children: o.label })) : [];
};
/** Shown directly; the rest folds under "More settings". */
const MAIN = ['stepsPerOctave', 'octaves', 'stepSize'];

export function DreamPanel({ paramsOf, setParams, run, canRun }: PanelProps) {
  const p = paramsOf('dream');
  const update = (next: Partial<DreamSpecParams>) => setParams('dream', { ...p, ...next });
  const [moreOpen, setMoreOpen] = useState(false);
  const presets = DREAM_PRESET_LAYERS[p.model];
  const layerOptions: DropdownOption[] = [
    { header: 'Presets' },
    ...DREAM_PRESETS.map((name) => ({ value: name, text: `${name} · ${presets[name]}` })),
    '-',
    { header: 'Every layer, shallow to deep' },
    ...DREAM_LAYERS[p.model].map((name) => ({ value: name, text: name })),
  ];
  const fields = paramFields(dreamSpec.params);
  const control = (f: ParamField) => (
    <div key={f.key}>
      <ParamControl field={f} value={p[f.key as keyof DreamSpecParams]} onChange={(value) => update({ [f.key]: value } as Partial<DreamSpecParams>)} />
      <VerticalSpace space="small" />
    </div>
  );
  const more = fields.filter((f) => 'advanced' in f && f.advanced);
  const knownLayer = DREAM_PRESETS.includes(p.layer as never) || DREAM_LAYERS[p.model].includes(p.layer);

  return (
    <div data-testid="panel-dream">
      <SegmentedControl options={choices('model')} value={p.model} onValueChange={(model) => update({ model: model as DreamSpecParams['model'], layer: 'Patterns' })} />
      <VerticalSpace space="small" />
      <div class="pastiche-field wide" title={field('layer').kind === 'text' ? (field('layer') as { help: string }).help : ''}>
        <Text><Muted>Layer</Muted></Text>
        <Dropdown data-testid="dream-layer" options={layerOptions} value={knownLayer ? p.layer : 'Patterns'} onValueChange={(layer) => update({ layer })} />
      </div>
      <VerticalSpace space="small" />
      <Text><Muted>Amplify</Muted></Text>
      <VerticalSpace space="extraSmall" />
      <SegmentedControl options={choices('objective')} value={p.objective} onValueChange={(objective) => update({ objective: objective as DreamSpecParams['objective'] })} />
      <VerticalSpace space="small" />
      {p.objective === 'channel' && (
        <>
          {control(field('channel'))}
          <Button secondary fullWidth disabled={!canRun} data-testid="channel-sheet" onClick={() => run({ technique: 'channels', params: { model: p.model, layer: p.layer } })}>
            Sheet of the strongest channels
          </Button>
          <VerticalSpace space="small" />
        </>
      )}
      {p.objective === 'class' && (
        <>
          {control(field('className'))}
          <ClassMatches query={p.className} onPick={(className) => update({ className })} />
        </>
      )}
      <Text><Muted>Start from</Muted></Text>
      <VerticalSpace space="extraSmall" />
      <SegmentedControl options={choices('start')} value={p.start} onValueChange={(start) => update({ start: start as DreamSpecParams['start'] })} />
      <VerticalSpace space="small" />
      {fields.filter((f) => MAIN.includes(f.key)).map(control)}
      {control(field('maskToAlpha'))}
      <Disclosure title="More settings" open={moreOpen} onClick={() => setMoreOpen(!moreOpen)}>
        {more.map(control)}
        {control(field('size'))}
      </Disclosure>
      <ActionBar>
        <Button fullWidth disabled={!canRun || (p.objective === 'class' && !p.className.trim())} onClick={() => run({ technique: 'dream', params: p })} data-testid="run">
          Dream
        </Button>
      </ActionBar>
    </div>
  );
}

/** The ImageNet classes matching what is typed, as buttons that fill the field with the class's name. */
function ClassMatches({ query, onPick }: { query: string; onPick: (label: string) => void }) {
  const matches = query.trim() ? findClasses(labels, query, 6) : [];
  const exact = matches.length > 0 && shortLabel(matches[0].label).toLowerCase() === query.trim().toLowerCase();
  if (exact) return null;
  return (
    <div class="pastiche-chips" data-testid="class-matches">
      {matches.length === 0 ? (
        <Text><Muted>{query.trim() ? 'No ImageNet class matches.' : 'Type a class: goldfish, tabby, volcano…'}</Muted></Text>
      ) : (
        matches.map((m) => (
          <button type="button" key={m.index} title={m.label} onClick={() => onPick(shortLabel(m.label))}>
            {shortLabel(m.label)}
          </button>
        ))
      )}
    </div>
  );
}

// Basics: invert, grayscale and blur. Simple, fast jobs that also show the round trip works.
import { Button, Dropdown, RangeSlider, Text, VerticalSpace } from '@create-figma-plugin/ui';
import { TECHNIQUES, type TechniqueParams } from '../../techniques/catalog';
import type { PanelProps } from './panel-props';

type BasicId = 'invert' | 'grayscale' | 'blur';
const BASIC_IDS: BasicId[] = ['invert', 'grayscale', 'blur'];

export function BasicsPanel({ params, setParams, run, canRun, technique, setTechnique }: PanelProps & {
  technique: BasicId;
  setTechnique: (id: BasicId) => void;
}) {
  const current = { ...TECHNIQUES[technique].defaults, ...params[technique] } as TechniqueParams[BasicId];
  const update = (next: Partial<TechniqueParams[BasicId]>) => setParams(technique, { ...current, ...next });
  return (
    <div>
      <Dropdown
        data-testid="basic-technique"
        options={BASIC_IDS.map((id) => ({ value: id, text: TECHNIQUES[id].label }))}
        value={technique}
        onValueChange={(value) => setTechnique(value as BasicId)}
      />
      <VerticalSpace space="small" />
      {'amount' in current && (
        <>
          <Text>Amount: {Math.round(current.amount * 100)}%</Text>
          <VerticalSpace space="extraSmall" />
          <RangeSlider minimum={0} maximum={100} value={String(Math.round(current.amount * 100))} onNumericValueInput={(v) => update({ amount: v / 100 })} />
        </>
      )}
      {'radius' in current && (
        <>
          <Text>Radius: {current.radius} px</Text>
          <VerticalSpace space="extraSmall" />
          <RangeSlider minimum={1} maximum={64} value={String(current.radius)} onNumericValueInput={(v) => update({ radius: v })} />
        </>
      )}
      <VerticalSpace space="medium" />
      <Button fullWidth disabled={!canRun} onClick={() => run({ technique, params: current })} data-testid="run">
        {TECHNIQUES[technique].label}
      </Button>
    </div>
  );
}

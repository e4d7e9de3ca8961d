// The panel of any technique without a panel of its own (the Basics, a newly added technique): a menu of the
// tab's techniques, then one control per parameter of its schema, advanced ones folded away, and its button.
import { Button, Disclosure, Dropdown, VerticalSpace } from '@create-figma-plugin/ui';
import { useState } from 'preact/hooks';
import { paramFields, type ParamField } from '../../techniques/params';
import { techniqueSpec } from '../../techniques/registry';
import { ActionBar } from '../components/ActionBar';
import { ParamControl } from '../components/ParamControl';
import type { PanelProps } from './panel-props';

type Values = Record<string, unknown>;

const withValue = (values: Values, path: readonly string[], value: unknown): Values =>
  path.length === 1 ? { ...values, [path[0]]: value } : { ...values, [path[0]]: withValue((values[path[0]] ?? {}) as Values, path.slice(1), value) };

const valueAt = (values: Values, path: readonly string[]): unknown => path.reduce<unknown>((node, key) => (node as Values | undefined)?.[key], values);

export function TechniquePanel({ techniques, technique, setTechnique, paramsOf, setParams, run, canRun }: PanelProps) {
  const spec = techniqueSpec(technique);
  const values = paramsOf(technique) as Values;
  const [moreOpen, setMoreOpen] = useState(false);
  const leaves = paramFields(spec.params)
    .flatMap((field) => (field.kind === 'group' ? field.fields : [field]))
    .filter((field) => !('hidden' in field && field.hidden));
  const control = (field: ParamField) => (
    <div key={field.path.join('.')}>
      <ParamControl field={field} value={valueAt(values, field.path)} onChange={(value) => setParams(technique, withValue(values, field.path, value) as never)} />
      <VerticalSpace space="small" />
    </div>
  );
  const isAdvanced = (field: ParamField) => 'advanced' in field && field.advanced === true;
  const advanced = leaves.filter(isAdvanced);
  return (
    <div data-testid={`panel-${spec.panel}`}>
      {techniques.length > 1 && (
        <>
          <Dropdown
            data-testid="technique"
            options={techniques.map((id) => ({ value: id, text: techniqueSpec(id).label }))}
            value={technique}
            onValueChange={(id) => setTechnique(id as typeof technique)}
          />
          <VerticalSpace space="small" />
        </>
      )}
      {leaves.filter((field) => !isAdvanced(field)).map(control)}
      {advanced.length > 0 && (
        <Disclosure title="More settings" open={moreOpen} onClick={() => setMoreOpen(!moreOpen)}>
          {advanced.map(control)}
        </Disclosure>
      )}
      <ActionBar>
        <Button fullWidth disabled={!canRun} onClick={() => run({ technique, params: values })} data-testid="run">
          {spec.label}
        </Button>
      </ActionBar>
    </div>
  );
}

// One parameter as a control, from its schema field: a slider (range, step and unit from the schema), a toggle,
// a segmented control or a menu. Panels never type a parameter's limits themselves.
import { Dropdown, SegmentedControl, Text, Textbox, Muted, Toggle, VerticalSpace } from '@create-figma-plugin/ui';
import type { ParamField } from '../../techniques/params';
import { NumberField } from './NumberField';
import { Slider } from './Slider';

const formatNumber = (field: Extract<ParamField, { kind: 'number' }>) => (value: number) => {
  if (field.percent) return `${Math.round(value * 100)}%`;
  const digits = field.integer ? 0 : Math.max(0, Math.min(3, Math.ceil(-Math.log10(field.step))));
  return `${value.toFixed(digits)}${field.unit ? ` ${field.unit}` : ''}`;
};

export function ParamControl({ field, value, onChange }: { field: ParamField; value: unknown; onChange: (value: unknown) => void }) {
  const testId = `param-${field.key}`;
  switch (field.kind) {
    case 'number':
      if (field.integer && field.max - field.min <= 2) {
        // Two or three whole values (1x / 2x): a segmented control reads better than a slider.
        const values = Array.from({ length: field.max - field.min + 1 }, (_, i) => String(field.min + i));
        return (
          <div title={field.help} data-testid={testId}>
            <Text><Muted>{field.label}</Muted></Text>
            <VerticalSpace space="extraSmall" />
            <SegmentedControl options={values.map((v) => ({ value: v, children: `${v}${field.unit ?? ''}` }))} value={String(value)} onValueChange={(v) => onChange(Number(v))} />
          </div>
        );
      }
      if (field.control === 'field') {
        return (
          <div title={field.help}>
            <NumberField label={field.label} value={Number(value)} minimum={field.min} maximum={field.max} integer={field.integer} onChange={onChange} testId={testId} />
          </div>
        );
      }
      return (
        <div title={field.help}>
          <Slider label={field.label} value={Number(value)} minimum={field.min} maximum={field.max} step={field.step} format={formatNumber(field)} onChange={onChange} testId={testId} />
        </div>
      );
    case 'boolean':
      return (
        <div title={field.help}>
          <Toggle value={Boolean(value)} onValueChange={onChange} data-testid={testId}>
            <Text>{field.label}</Text>
          </Toggle>
        </div>
      );
    case 'choice':
      return (
        <div title={field.help} data-testid={testId}>
          <Text><Muted>{field.label}</Muted></Text>
          <VerticalSpace space="extraSmall" />
          {field.options.length <= 3 ? (
            <SegmentedControl options={field.options.map((o) => ({ value: o.value, children: o.label }))} value={String(value)} onValueChange={onChange} />
          ) : (
            <Dropdown options={field.options.map((o) => ({ value: o.value, text: o.label }))} value={String(value)} onValueChange={onChange} />
          )}
        </div>
      );
    case 'text':
      return (
        <label class="pastiche-field" title={field.help}>
          <Text><Muted>{field.label}</Muted></Text>
          <Textbox value={String(value ?? '')} onValueInput={onChange} data-testid={testId} />
        </label>
      );
    default:
      return null; // groups and custom fields are laid out by their panel
  }
}

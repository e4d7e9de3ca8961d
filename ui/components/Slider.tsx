// A labelled range slider: "Strength  75%" above the library's RangeSlider.
import { RangeSlider, Text, Muted, VerticalSpace } from '@create-figma-plugin/ui';

export function Slider(props: {
  label: string;
  value: number;
  minimum: number;
  maximum: number;
  step?: number;
  format?: (value: number) => string;
  onChange: (value: number) => void;
  testId?: string;
}) {
  const { label, value, minimum, maximum, step = 1, format = String, onChange, testId } = props;
  // RangeSlider works in integers: scale fractional steps up and back down.
  const factor = step < 1 ? Math.round(1 / step) : 1;
  return (
    <div>
      <Text>
        {label} <Muted>{format(value)}</Muted>
      </Text>
      <VerticalSpace space="extraSmall" />
      <RangeSlider
        data-testid={testId}
        minimum={minimum * factor}
        maximum={maximum * factor}
        increment={step < 1 ? 1 : step}
        value={String(Math.round(value * factor))}
        onNumericValueInput={(next) => onChange(next / factor)}
      />
    </div>
  );
}

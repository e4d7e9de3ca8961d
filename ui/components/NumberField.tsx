// A numeric text field that keeps what the user types until it is a valid number, then reports it.
import { Text, Muted, TextboxNumeric } from '@create-figma-plugin/ui';
import { useEffect, useState } from 'preact/hooks';

export function NumberField(props: { label: string; value: number; minimum?: number; maximum?: number; integer?: boolean; onChange: (value: number) => void; testId?: string }) {
  const { label, value, minimum, maximum, integer, onChange, testId } = props;
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  return (
    <label class="pastiche-field">
      <Text><Muted>{label}</Muted></Text>
      <TextboxNumeric
        value={text}
        minimum={minimum}
        maximum={maximum}
        integer={integer}
        data-testid={testId}
        onValueInput={setText}
        onNumericValueInput={(next) => {
          if (next !== null && Number.isFinite(next)) onChange(next);
        }}
      />
    </label>
  );
}

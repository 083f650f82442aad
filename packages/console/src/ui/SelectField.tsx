import { FieldFrame } from './FieldFrame.js';

/** A labelled `<select>` with its help and the API's word on it, as `TextField` shows a text control. */
export function SelectField<V extends string>({
  id,
  label,
  value,
  choices,
  onChange,
  help,
  problem,
}: {
  id: string;
  label: string;
  value: V;
  choices: readonly { value: V; label: string }[];
  onChange(value: V): void;
  help?: string;
  problem?: string;
}) {
  return (
    <FieldFrame
      id={id}
      label={label}
      help={help}
      problem={problem}
      control={(aria) => (
        <select {...aria} value={value} onChange={(e) => onChange(e.target.value as V)}>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

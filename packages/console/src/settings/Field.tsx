import { type ControlAria, FieldFrame } from '../ui/FieldFrame.js';
import { labelOf, MEANINGS, type SettingSchema } from './schema.js';

interface FieldProps {
  name: string;
  schema: SettingSchema;
  value: unknown;
  problems: string[] | undefined;
  onChange(value: unknown): void;
}

/** The default and the range, from the contract. */
function hint(schema: SettingSchema): string {
  const parts = [`Default: ${Array.isArray(schema.default) ? schema.default.join(', ') || 'none' : String(schema.default)}.`];
  if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`From ${schema.minimum} to ${schema.maximum}.`);
  return parts.join(' ');
}

/** One setting: its control, what it means, its default and range, and what the API said of it. */
export function Field({ name, schema, value, problems, onChange }: FieldProps) {
  const control = (aria: ControlAria) => {
    const common = { ...aria, name };
    if (schema.type === 'boolean') {
      return <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    }
    if (schema.anyOf) {
      return (
        <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {schema.anyOf.map((choice) => (
            <option key={choice.const}>{choice.const}</option>
          ))}
        </select>
      );
    }
    const numeric = schema.type === 'integer';
    return <input {...common} inputMode={numeric ? 'numeric' : 'text'} value={String(value)} onChange={(e) => onChange(e.target.value)} />;
  };
  return (
    <FieldFrame
      id={`setting-${name}`}
      className={schema.type === 'boolean' ? 'field check' : 'field'}
      label={
        <>
          {labelOf(name)} <code>{name}</code>
        </>
      }
      help={[MEANINGS[name], hint(schema)].filter(Boolean).join(' ')}
      problem={problems?.join(' ')}
      control={control}
    />
  );
}

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
  const id = `setting-${name}`;
  const describedBy = [`${id}-help`, problems ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = { id, name, 'aria-describedby': describedBy, 'aria-invalid': problems ? true : undefined };
  let control: React.ReactNode;
  if (schema.type === 'boolean') {
    control = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  } else if (schema.anyOf) {
    control = (
      <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {schema.anyOf.map((choice) => (
          <option key={choice.const}>{choice.const}</option>
        ))}
      </select>
    );
  } else {
    const numeric = schema.type === 'integer';
    control = (
      <input {...common} inputMode={numeric ? 'numeric' : 'text'} value={String(value)} onChange={(e) => onChange(e.target.value)} />
    );
  }
  return (
    <div className={schema.type === 'boolean' ? 'field check' : 'field'}>
      <label htmlFor={id}>
        {labelOf(name)} <code>{name}</code>
      </label>
      {control}
      <p id={`${id}-help`} className="help">
        {MEANINGS[name]} {hint(schema)}
      </p>
      {problems && (
        <p id={`${id}-error`} className="error">
          {problems.join(' ')}
        </p>
      )}
    </div>
  );
}

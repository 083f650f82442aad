import type { ReactNode } from 'react';

/**
 * A labelled text control with its help and the API's word on it, tied by `aria-describedby`:
 * the label, then the control, then what is wrong, as the settings screen shows its fields.
 */
export function TextField({
  id,
  label,
  value,
  onChange,
  help,
  problem,
  multiline,
  type = 'text',
  required,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange(value: string): void;
  help?: ReactNode;
  problem?: string;
  multiline?: boolean;
  type?: 'text' | 'password' | 'url';
  required?: boolean;
}) {
  const describedBy = [help ? `${id}-help` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    'aria-describedby': describedBy,
    'aria-invalid': problem ? true : undefined,
    'aria-required': required || undefined,
    spellCheck: false,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={6} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
      )}
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      {problem && (
        <p id={`${id}-error`} className="error">
          {problem}
        </p>
      )}
    </div>
  );
}

import type { ReactNode } from 'react';
import { FieldFrame } from './FieldFrame.js';

/** A labelled text control with its help and the API's word on it. */
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
  return (
    <FieldFrame
      id={id}
      label={label}
      help={help}
      problem={problem}
      control={(aria) => {
        const common = { ...aria, value, 'aria-required': required || undefined, spellCheck: false };
        return multiline ? (
          <textarea {...common} rows={6} onChange={(e) => onChange(e.target.value)} />
        ) : (
          <input {...common} type={type} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
        );
      }}
    />
  );
}

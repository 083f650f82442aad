import type { ReactNode } from 'react';

/** What a control takes from its frame: its id, and the help and problem that describe it. */
export interface ControlAria {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * One field of a form: the label, the control, its help and what the API said is wrong with it,
 * tied by `aria-describedby` (`<id>-help`, `<id>-error`), as every form of the console shows them.
 */
export function FieldFrame({
  id,
  label,
  help,
  problem,
  className = 'field',
  control,
}: {
  id: string;
  label: ReactNode;
  help?: ReactNode;
  problem?: string;
  className?: string;
  control(aria: ControlAria): ReactNode;
}) {
  const describedBy = [help ? `${id}-help` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {control({ id, 'aria-describedby': describedBy, ...(problem ? { 'aria-invalid': true as const } : {}) })}
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

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
  const describedBy = [help ? `${id}-help` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-describedby={describedBy}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => onChange(e.target.value as V)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
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

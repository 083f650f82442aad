import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useFocusOnProblem } from '../ui/form-hooks.js';
import { EVENT_TYPES } from './events.js';
import { fromInput, type LogFilter, PAGE_SIZES, toInput } from './filter.js';

interface FiltersProps {
  filter: LogFilter;
  /** What the API said of each refused field (`rest_invalid_param`'s params). */
  problems: Record<string, string>;
  onApply(filter: LogFilter): void;
}

/** The filter form: applied to the URL on submit, so the view can be linked. */
export function Filters({ filter, problems, onApply }: FiltersProps) {
  const [draft, setDraft] = useState(filter);
  // Back, forward or a link change the filter: the form follows.
  useEffect(() => setDraft(filter), [filter]);
  const form = useRef<HTMLFormElement>(null);
  useFocusOnProblem(form, Object.keys(problems).length > 0 ? problems : null);
  // The event types open when some are chosen or refused; otherwise the operator opens them.
  const events = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (events.current && (filter.event.length > 0 || problems.event)) events.current.open = true;
  }, [filter, problems]);
  const set = (name: keyof LogFilter) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const toggle = (type: string, on: boolean) =>
    setDraft((d) => ({ ...d, event: on ? [...d.event, type] : d.event.filter((t) => t !== type) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const field = (name: string, label: string, control: (common: object) => ReactNode, help?: string) => (
    <Field name={name} label={label} problem={problems[name]} control={control} help={help} />
  );

  return (
    <search aria-label="Filter the log">
      <form ref={form} className="log-filters" onSubmit={submit} noValidate>
        {field(
          'user',
          'User',
          (c) => (
            <input {...c} value={draft.user} onChange={(e) => set('user')(e.target.value)} />
          ),
          'A login or a user id.',
        )}
        {field(
          'ip',
          'IP address',
          (c) => (
            <input {...c} value={draft.ip} onChange={(e) => set('ip')(e.target.value)} />
          ),
          'An address or a CIDR block, such as 203.0.113.0/24.',
        )}
        {field('since', 'From (UTC)', (c) => (
          <input
            {...c}
            type="datetime-local"
            step={1}
            value={toInput(draft.since)}
            onChange={(e) => set('since')(fromInput(e.target.value))}
          />
        ))}
        {field('until', 'To (UTC)', (c) => (
          <input
            {...c}
            type="datetime-local"
            step={1}
            value={toInput(draft.until)}
            onChange={(e) => set('until')(fromInput(e.target.value))}
          />
        ))}
        {field('per_page', 'Rows per page', (c) => (
          <select {...c} value={draft.per_page} onChange={(e) => set('per_page')(e.target.value)}>
            {PAGE_SIZES.map((size) => (
              <option key={size}>{size}</option>
            ))}
          </select>
        ))}
        <details className="log-events" ref={events}>
          <summary>Event types: {draft.event.length === 0 ? 'all' : `${draft.event.length} chosen`}</summary>
          <fieldset aria-describedby={problems.event ? 'log-event-error' : undefined}>
            <legend className="visually-hidden">Event types</legend>
            {EVENT_TYPES.map((type) => (
              <label key={type}>
                <input type="checkbox" checked={draft.event.includes(type)} onChange={(e) => toggle(type, e.target.checked)} /> {type}
              </label>
            ))}
          </fieldset>
          {problems.event && (
            <p id="log-event-error" className="error">
              {problems.event}
            </p>
          )}
        </details>
        <div className="log-filter-actions">
          <button type="submit">Apply filters</button>
          <button
            type="button"
            className="secondary"
            onClick={() => onApply({ ...filter, user: '', event: [], ip: '', since: '', until: '' })}
          >
            Clear filters
          </button>
        </div>
      </form>
    </search>
  );
}

function Field(props: { name: string; label: string; problem?: string; help?: string; control: (common: object) => ReactNode }) {
  const id = `log-${props.name}`;
  const describedBy = [props.help ? `${id}-help` : '', props.problem ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = { id, name: props.name, 'aria-describedby': describedBy || undefined, 'aria-invalid': props.problem ? true : undefined };
  return (
    <div className="log-field">
      <label htmlFor={id}>{props.label}</label>
      {props.control(common)}
      {props.help && (
        <p id={`${id}-help`} className="help">
          {props.help}
        </p>
      )}
      {props.problem && (
        <p id={`${id}-error`} className="error">
          {props.problem}
        </p>
      )}
    </div>
  );
}

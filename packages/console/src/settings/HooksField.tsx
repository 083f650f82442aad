import { MEANINGS, type SettingSchema } from './schema.js';

type Policies = Record<string, { timeout_ms: string; fail: string }>;

interface HooksFieldProps {
  schema: SettingSchema;
  value: Policies;
  problems: string[] | undefined;
  onChange(value: Policies): void;
}

/** Each hook's wait and failure policy, with the contract's defaults. */
export function HooksField({ schema, value, problems, onChange }: HooksFieldProps) {
  const defaults = schema.default as Record<string, { timeout_ms: number; fail: string }>;
  const range = (hook: string) => schema.properties?.[hook]?.properties?.timeout_ms ?? {};
  const set = (hook: string, member: 'timeout_ms' | 'fail', text: string) =>
    onChange({ ...value, [hook]: { ...value[hook]!, [member]: text } });
  return (
    <div className="field" aria-describedby="setting-hooks-help">
      <p id="setting-hooks-help" className="help">
        {MEANINGS.hooks}
      </p>
      {Object.keys(schema.properties ?? {}).map((hook) => (
        <fieldset key={hook} className="hook">
          <legend>{hook}</legend>
          <label htmlFor={`hook-${hook}-timeout`}>Timeout (ms)</label>
          <input
            id={`hook-${hook}-timeout`}
            inputMode="numeric"
            value={value[hook]?.timeout_ms ?? ''}
            onChange={(e) => set(hook, 'timeout_ms', e.target.value)}
          />
          <label htmlFor={`hook-${hook}-fail`}>On failure</label>
          <select id={`hook-${hook}-fail`} value={value[hook]?.fail ?? ''} onChange={(e) => set(hook, 'fail', e.target.value)}>
            <option>open</option>
            <option>closed</option>
          </select>
          <p className="help">
            Default: {defaults[hook]?.timeout_ms} ms, {defaults[hook]?.fail}. From {range(hook).minimum} to {range(hook).maximum} ms.
          </p>
        </fieldset>
      ))}
      {problems && (
        <p id="setting-hooks-error" className="error">
          {problems.join(' ')}
        </p>
      )}
    </div>
  );
}

import { SCHEMA } from './schema.js';

/** The settings as the API answers them. */
export type SettingsValues = Record<string, unknown>;
/** What the form holds: numbers as the text typed, roles as one comma list, hooks per field. */
export type Draft = Record<string, unknown>;
type HookDraft = Record<string, { timeout_ms: string; fail: string }>;

export function toDraft(values: SettingsValues): Draft {
  const draft: Draft = {};
  for (const [name, schema] of Object.entries(SCHEMA)) {
    const value = values[name];
    if (name === 'hooks') {
      const hooks = value as Record<string, { timeout_ms: number; fail: string }>;
      draft[name] = Object.fromEntries(
        Object.keys(schema.properties ?? {}).map((hook) => [
          hook,
          { timeout_ms: String(hooks[hook]?.timeout_ms ?? ''), fail: hooks[hook]?.fail ?? '' },
        ]),
      );
    } else if (schema.type === 'integer') draft[name] = String(value ?? '');
    else if (schema.type === 'array') draft[name] = ((value as string[] | undefined) ?? []).join(', ');
    else draft[name] = value;
  }
  return draft;
}

/** Typed text that is no integer goes as typed: the API, which owns the rules, names the problem. */
const integer = (text: string): unknown => (/^-?\d+$/.test(text.trim()) ? Number(text) : text);

function fromDraft(name: string, value: unknown): unknown {
  const schema = SCHEMA[name];
  if (name === 'hooks') {
    return Object.fromEntries(
      Object.entries(value as HookDraft).map(([hook, policy]) => [hook, { ...policy, timeout_ms: integer(policy.timeout_ms) }]),
    );
  }
  if (schema?.type === 'integer') return integer(value as string);
  if (schema?.type === 'array') {
    return (value as string)
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean);
  }
  return value;
}

/** The settings the draft changed, as `PATCH /settings` takes them. */
export function toPatch(loaded: SettingsValues, draft: Draft): SettingsValues {
  const before = toDraft(loaded);
  const patch: SettingsValues = {};
  for (const [name, value] of Object.entries(draft)) {
    if (JSON.stringify(value) !== JSON.stringify(before[name])) patch[name] = fromDraft(name, value);
  }
  return patch;
}

/** A `rest_invalid_param` answer's problems by setting (`hooks/login.allow/timeout_ms` belongs to `hooks`). */
export function problemsBySetting(params: unknown): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  if (!params || typeof params !== 'object') return problems;
  const entries = Array.isArray(params) ? params.map((name) => [String(name), `${name} is missing.`]) : Object.entries(params);
  for (const [key, message] of entries) {
    const name = Object.hasOwn(SCHEMA, key) ? key : (key.split(/[./[]/)[0] ?? key);
    const owner = Object.hasOwn(SCHEMA, name) ? name : '';
    problems[owner] = [...(problems[owner] ?? []), String(message)];
  }
  return problems;
}

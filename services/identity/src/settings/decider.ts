import { knownRoles, SETTING_RULES, type SettingChange, type SettingName, Settings } from '@headlesskey/contracts';
import { type Decider, type Decision, firstViolation, refuse } from '@headlesskey/platform';
import type { TSchema } from '@sinclair/typebox';
import type { ChangeSettings, SettingsCommand, SettingsEvent, SettingsState } from './settings.js';
import { applyChange, changesOf, effectiveSettings, mergeValue } from './values.js';

const SCHEMAS: Readonly<Record<string, TSchema>> = Settings.properties;
const RULES = SETTING_RULES as Readonly<Record<string, ((value: unknown) => string | undefined) | undefined>>;

function decide(command: SettingsCommand, state: SettingsState): Decision<SettingsEvent> {
  switch (command.type) {
    case 'ChangeSettings':
      return change(command, state);
    default:
      return assertNever(command.type);
  }
}

/** All of the patch or nothing: any bad value refuses the whole of it, naming each bad setting. */
function change(command: ChangeSettings, state: SettingsState): Decision<SettingsEvent> {
  const current = effectiveSettings(state.values) as Readonly<Record<string, unknown>>;
  const problems: Record<string, string> = {};
  const changes: SettingChange[] = [];
  for (const [name, value] of Object.entries(command.patch)) {
    const problem = problemOf(name, value, current);
    if (problem) problems[name] = problem;
    else changes.push(...changesOf(name, current[name], mergeValue(current[name], value)));
  }
  if (Object.keys(problems).length === 0) {
    const unknownRole = unknownAccessRole(command.patch, current);
    if (unknownRole) problems.access = unknownRole;
  }
  if (Object.keys(problems).length > 0) return refuse('rest_invalid_param', undefined, { params: problems });
  if (changes.length === 0) return [];
  const { user_id, user_login } = command.actor;
  return [{ type: 'settings.changed', data: { user_id, user_login, changes } }];
}

/**
 * A route narrowed to a role nobody can be given would shut everyone out of it: every role of the
 * `access` setting after the patch must be a known one (`knownRoles`, with `custom_roles` after it).
 */
function unknownAccessRole(patch: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>): string | undefined {
  const roles = (Object.hasOwn(patch, 'custom_roles') ? patch.custom_roles : current.custom_roles) as string[];
  const access = mergeValue(current.access, patch.access ?? {}) as Record<string, unknown>;
  const known = knownRoles(roles);
  for (const [route, rule] of Object.entries(access)) {
    const unknown = Array.isArray(rule) ? rule.find((role: string) => !known.includes(role)) : undefined;
    if (unknown !== undefined) return `access[${route}]: ${unknown} is not a role here; the roles are ${known.join(', ')}.`;
  }
  return undefined;
}

function problemOf(name: string, value: unknown, current: Readonly<Record<string, unknown>>): string | undefined {
  const schema = Object.hasOwn(SCHEMAS, name) ? SCHEMAS[name] : undefined;
  if (!schema) return `${name} is not a setting.`;
  // The patch's own value first (its members, for an object), then what it makes of the setting.
  for (const candidate of [value, mergeValue(current[name], value)]) {
    const violation = firstViolation(schema, candidate);
    if (violation) return reasonOf(name, violation);
  }
  return RULES[name as SettingName]?.(value);
}

function reasonOf(name: string, violation: Record<string, string>): string {
  const [path = '/', message = 'invalid'] = Object.entries(violation)[0] ?? [];
  return path === '/' ? `${name}: ${message}.` : `${name}${path}: ${message}.`;
}

function evolve(state: SettingsState, event: SettingsEvent): SettingsState {
  switch (event.type) {
    case 'settings.changed':
      return { values: event.data.changes.reduce(applyChange, state.values) };
    default:
      return assertNever(event.type);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case ${String(value)}`);
}

/** The instance's settings: what administrators set, each change an event with old and new values. */
export const settingsDecider: Decider<SettingsCommand, SettingsEvent, SettingsState> = {
  initialState: { values: {} },
  decide,
  evolve,
};

import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_SETTINGS, type SettingChange, type Settings } from '@headlesskey/contracts';
import type { StoredSettings } from './settings.js';

/*
 * Pure operations on setting values, generic over the Settings schema: no setting is named here.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `patch` over `current`: objects member by member, anything else replaced. Built with
 * `Object.fromEntries`, so a member named `__proto__` is data, never a prototype.
 */
export function mergeValue(current: unknown, patch: unknown): unknown {
  if (isPlainObject(current) && isPlainObject(patch)) return Object.fromEntries([...Object.entries(current), ...Object.entries(patch)]);
  return patch;
}

/** The settings in force: each stored value over its default (an object one, member by member). */
export function effectiveSettings(stored: StoredSettings): Settings {
  const defaults = DEFAULT_SETTINGS as Readonly<Record<string, unknown>>;
  const entries = Object.keys(defaults).map((name) => {
    const value = Object.hasOwn(stored, name) ? stored[name] : undefined;
    return [name, value === undefined ? defaults[name] : mergeValue(defaults[name], value)];
  });
  return Object.fromEntries(entries) as Settings;
}

/**
 * What differs between two values of one setting: the whole value, or for objects each member
 * that differs (a member absent on one side is null there).
 */
export function changesOf(setting: string, before: unknown, after: unknown): SettingChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (!isPlainObject(before) || !isPlainObject(after)) return [{ setting, old: before, new: after }];
  const members = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...members]
    .filter((member) => !isDeepStrictEqual(before[member], after[member]))
    .map((member) => ({ setting, member, old: memberOf(before, member), new: memberOf(after, member) }));
}

/** A stored value with one change applied. */
export function applyChange(stored: StoredSettings, change: SettingChange): StoredSettings {
  const defaults = DEFAULT_SETTINGS as Readonly<Record<string, unknown>>;
  const value =
    change.member === undefined
      ? change.new
      : mergeValue(
          Object.hasOwn(stored, change.setting) ? stored[change.setting] : defaults[change.setting],
          Object.fromEntries([[change.member, change.new]]),
        );
  return Object.fromEntries([...Object.entries(stored), [change.setting, value]]);
}

function memberOf(value: Record<string, unknown>, member: string): unknown {
  return Object.hasOwn(value, member) ? value[member] : null;
}

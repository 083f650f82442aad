import type { SettingsChanged } from '@headlesskey/contracts';
import type { NewEvent } from '@headlesskey/platform';

/** The settings an administrator has set, by name; a setting not here has its default. */
export type StoredSettings = Readonly<Record<string, unknown>>;

export interface SettingsState {
  values: StoredSettings;
}

export interface ChangeSettings {
  type: 'ChangeSettings';
  /** Setting name → new value; an object value is merged into the current one member by member. */
  patch: Readonly<Record<string, unknown>>;
  actor: { user_id: number; user_login: string };
}

export type SettingsCommand = ChangeSettings;
export type SettingsEvent = NewEvent<'settings.changed', SettingsChanged>;

/** One stream holds every change to the instance's settings. */
export const SETTINGS_STREAM = 'settings';

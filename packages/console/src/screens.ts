import { type ComponentType, lazy } from 'react';

/**
 * Every screen of the console, in the order of the navigation. A screen is a folder and one line
 * here: its path (it owns the paths below it, as a nested router), its name in the navigation,
 * and its module, loaded when first shown so that the first load carries only the screen opened.
 */
export interface Screen {
  path: string;
  label: string;
  component: ComponentType;
}

const screen = (path: string, label: string, load: () => Promise<{ default: ComponentType }>): Screen => ({
  path,
  label,
  component: lazy(load),
});

export const SCREENS: readonly Screen[] = [
  screen('/overview', 'Overview', () => import('./overview/OverviewScreen.js')),
  screen('/logs', 'Logs', () => import('./logs/LogsScreen.js')),
  screen('/users', 'Users', () => import('./users/UsersScreen.js')),
  screen('/settings', 'Settings', () => import('./settings/SettingsScreen.js')),
  screen('/access', 'Access', () => import('./access/AccessScreen.js')),
  screen('/keys', 'Algorithms & keys', () => import('./keys/KeysScreen.js')),
  screen('/webhooks', 'Webhooks', () => import('./webhooks/WebhooksScreen.js')),
  screen('/sso', 'SSO sites', () => import('./sso/SsoScreen.js')),
];

/** Where the console opens after signing in. */
export const HOME = SCREENS[0]!.path;

/** A setting's JSON schema as the contract writes it (only what the form reads). */
export interface SettingSchema {
  type?: 'integer' | 'boolean' | 'array' | 'object' | 'string';
  default?: unknown;
  minimum?: number;
  maximum?: number;
  anyOf?: { const: string }[];
  properties?: Record<string, SettingSchema>;
}

/** Put in by the build (vite.config.ts) from `@headlesskey/contracts`. */
declare const __SETTINGS_SCHEMA__: Record<string, SettingSchema>;
export const SCHEMA = __SETTINGS_SCHEMA__;

/**
 * The screen's groups, as the plugin's page orders them. `access` and `algorithm` have screens of
 * their own (Access; Algorithms & keys), as the plugin gives algorithms theirs.
 */
export const GROUPS: readonly { title: string; names: readonly string[] }[] = [
  { title: 'Tokens', names: ['token_ttl', 'refresh_ttl', 'refresh_grace'] },
  { title: 'Passwords', names: ['password_min_length'] },
  { title: 'Brute force', names: ['max_attempts', 'window', 'lockout', 'ip_max_attempts', 'account_max_attempts'] },
  { title: 'Devices', names: ['device_limit', 'device_policy'] },
  { title: 'Registration', names: ['registration', 'email_verification', 'custom_roles'] },
  { title: 'Log retention', names: ['log_retention_days'] },
  { title: 'Hooks', names: ['hooks'] },
];

/** What each setting means, for the operator (docs/api.md, Settings, says it at length). */
export const MEANINGS: Readonly<Record<string, string>> = {
  token_ttl: 'Lifetime of new tokens, in seconds.',
  refresh_ttl: 'How long after login a session may refresh, in seconds.',
  refresh_grace: 'Seconds in which a token just rotated refreshes again to the same new token (two tabs racing).',
  password_min_length: 'Minimum password length, in characters.',
  max_attempts: 'Failed logins of one account from one address, within the window, before the account is locked for that address.',
  window: 'Seconds over which failures are counted.',
  lockout: 'Seconds a lock lasts, doubling on each repeat.',
  ip_max_attempts: 'Failed logins from one address, across accounts, before it is blocked.',
  account_max_attempts: 'Failed logins of one account from every address within a day before it is locked for unknown devices.',
  device_limit: 'Live sessions (devices) per user; 0 is no limit.',
  device_policy: 'Past the device limit: refuse the login, or end the least recently used session.',
  registration: 'Whether anyone may register an account.',
  email_verification: 'Off; optional (mail a verification); or required (an unverified user cannot log in).',
  custom_roles: 'Roles beyond WordPress’s five, separated by commas.',
  log_retention_days: 'Days the activity log keeps an entry.',
  hooks: 'How long a subscribed hook is waited for, and whether a timeout goes on without it (open) or refuses (closed).',
};

/** Each setting's label; its API name is shown beside it, as docs and errors use that. */
const LABELS: Readonly<Record<string, string>> = {
  token_ttl: 'Token lifetime (s)',
  refresh_ttl: 'Refresh window (s)',
  refresh_grace: 'Refresh grace (s)',
  algorithm: 'Signing algorithm',
  password_min_length: 'Minimum password length',
  max_attempts: 'Failures per account and address',
  window: 'Counting window (s)',
  lockout: 'Lockout (s)',
  ip_max_attempts: 'Failures per address',
  account_max_attempts: 'Failures per account a day',
  device_limit: 'Devices per user',
  device_policy: 'Past the device limit',
  registration: 'Registration open',
  email_verification: 'Email verification',
  custom_roles: 'Custom roles',
  log_retention_days: 'Log retention (days)',
};

export const labelOf = (name: string) => LABELS[name] ?? name;

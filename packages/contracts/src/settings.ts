import { type Static, Type } from '@sinclair/typebox';

/**
 * Live settings, one key each in the instance's `settings` KV bucket. An absent key means the
 * default below (the defaults of API.md).
 */
export const Settings = Type.Object({
  token_ttl: Type.Integer({ minimum: 60, maximum: 86_400 * 30, default: 3600 }),
  refresh_ttl: Type.Integer({ minimum: 60, maximum: 86_400 * 365, default: 14 * 86_400 }),
  refresh_grace: Type.Integer({ minimum: 0, maximum: 300, default: 10 }),
  algorithm: Type.Union([Type.Literal('HS256'), Type.Literal('RS256'), Type.Literal('ES256')], { default: 'HS256' }),
  password_min_length: Type.Integer({ minimum: 8, maximum: 64, default: 15 }),
  registration: Type.Boolean({ default: true }),
  max_attempts: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  window: Type.Integer({ minimum: 60, maximum: 86_400, default: 900 }),
  lockout: Type.Integer({ minimum: 60, maximum: 86_400, default: 900 }),
  ip_max_attempts: Type.Integer({ minimum: 1, maximum: 100_000, default: 20 }),
  device_limit: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
  device_policy: Type.Union([Type.Literal('reject'), Type.Literal('evict_oldest')], { default: 'reject' }),
  log_retention_days: Type.Integer({ minimum: 1, maximum: 3650, default: 90 }),
});
export type Settings = Static<typeof Settings>;
export type SettingName = keyof Settings;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  token_ttl: 3600,
  refresh_ttl: 14 * 86_400,
  refresh_grace: 10,
  algorithm: 'HS256',
  password_min_length: 15,
  registration: true,
  max_attempts: 5,
  window: 900,
  lockout: 900,
  ip_max_attempts: 20,
  device_limit: 0,
  device_policy: 'reject',
  log_retention_days: 90,
});

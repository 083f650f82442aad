import { type Static, type TOptional, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AccessRule, accessProblems, ROUTE_ACCESS, ROUTE_KEY_PATTERN } from './access.js';
import type { HookName } from './hooks.js';
import { ROLES, Role } from './user.js';

/** What tokens are signed with: the `algorithm` setting, and each signing key's. */
export const SigningAlgorithm = Type.Union([Type.Literal('HS256'), Type.Literal('RS256'), Type.Literal('ES256')]);

/**
 * How long a hook's subscriber is waited for, and what a timeout or a broken reply means: `open`
 * goes on as if no hook were there, `closed` refuses (503). No subscriber at all is never waited for.
 */
export const HookPolicy = Type.Object(
  {
    timeout_ms: Type.Integer({ minimum: 10, maximum: 10_000 }),
    fail: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  },
  { additionalProperties: false },
);
export type HookPolicy = Static<typeof HookPolicy>;

/**
 * Claims only enrich a token, so a slow claims hook is passed over; a veto that cannot be heard
 * refuses. Both wait one second: a login may ask two hooks within the command timeout (5 s).
 */
const HOOK_DEFAULTS: Record<HookName, HookPolicy> = {
  'token.claims': { timeout_ms: 1000, fail: 'open' },
  'register.validate': { timeout_ms: 1000, fail: 'closed' },
  'login.allow': { timeout_ms: 1000, fail: 'closed' },
};

/** Per hook; a hook left out keeps its default. */
export const HookPolicies = Type.Object(
  {
    'token.claims': Type.Optional(HookPolicy),
    'register.validate': Type.Optional(HookPolicy),
    'login.allow': Type.Optional(HookPolicy),
  },
  { additionalProperties: false, default: HOOK_DEFAULTS },
);

/**
 * Live settings, one key each in the instance's `settings` KV bucket. An absent key means the
 * default below (docs/api.md, Settings). Administrators change them with `PATCH /settings`; the
 * identity service keeps them and raises `settings.changed` with the old and new values, so a
 * setting never holds a secret (a secret belongs to the resource it protects).
 */
export const Settings = Type.Object({
  token_ttl: Type.Integer({ minimum: 60, maximum: 86_400 * 30, default: 3600 }),
  refresh_ttl: Type.Integer({ minimum: 60, maximum: 86_400 * 365, default: 14 * 86_400 }),
  refresh_grace: Type.Integer({ minimum: 0, maximum: 300, default: 10 }),
  algorithm: Type.Union(SigningAlgorithm.anyOf, { default: 'HS256' }),
  password_min_length: Type.Integer({ minimum: 8, maximum: 64, default: 15 }),
  registration: Type.Boolean({ default: true }),
  /**
   * `off` as the plugin; `optional` mails a verification on registration and on an email change;
   * `required` also refuses an unverified user's login (`headlesskey_email_unverified`).
   */
  email_verification: Type.Union([Type.Literal('off'), Type.Literal('optional'), Type.Literal('required')], { default: 'off' }),
  max_attempts: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  window: Type.Integer({ minimum: 60, maximum: 86_400, default: 900 }),
  lockout: Type.Integer({ minimum: 60, maximum: 86_400, default: 900 }),
  ip_max_attempts: Type.Integer({ minimum: 1, maximum: 100_000, default: 20 }),
  /** Failures of one account from every address together; NIST SP 800-63B-4 allows at most 100. */
  account_max_attempts: Type.Integer({ minimum: 1, maximum: 100, default: 100 }),
  device_limit: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
  device_policy: Type.Union([Type.Literal('reject'), Type.Literal('evict_oldest')], { default: 'reject' }),
  log_retention_days: Type.Integer({ minimum: 1, maximum: 3650, default: 90 }),
  /** Roles beyond WordPress's five that users may be given and routes opened to (see `knownRoles`). */
  custom_roles: Type.Array(Role, { maxItems: 32, uniqueItems: true, default: [] }),
  hooks: HookPolicies,
  /** Route key (`"GET /me"`) → who may call it; see `ROUTE_ACCESS`. A route not listed keeps its default. */
  access: Type.Record(Type.String({ pattern: ROUTE_KEY_PATTERN }), AccessRule, {
    default: ROUTE_ACCESS,
    additionalProperties: false,
    maxProperties: 200,
  }),
});
export type Settings = Static<typeof Settings>;
export type SettingName = keyof Settings;

/**
 * Every setting's default, read off the schema above: its `default`s are the one place a default
 * is written (the OpenAPI document shows the same ones).
 */
export const DEFAULT_SETTINGS: Readonly<Settings> = deepFreeze(Value.Create(Settings));

/**
 * The body of `PATCH /settings`: any of the settings, nothing else. An object-valued setting
 * (`access`) is merged member by member into its current value; any other replaces it.
 */
export const SettingsPatch = Type.Object(
  Object.fromEntries(Object.entries(Settings.properties).map(([name, schema]) => [name, Type.Optional(withoutDefault(schema))])) as {
    [K in keyof typeof Settings.properties]: TOptional<(typeof Settings.properties)[K]>;
  },
  { additionalProperties: false },
);
export type SettingsPatch = Static<typeof SettingsPatch>;

/**
 * Rules beyond a setting's schema, checked on the value a patch gives it (for an object-valued
 * setting, the members it changes): the first problem, or undefined.
 */
export const SETTING_RULES: { readonly [K in SettingName]?: (value: Settings[K]) => string | undefined } = Object.freeze({
  access: (entries: Settings['access']) => Object.values(accessProblems(entries))[0],
  custom_roles: (roles: Settings['custom_roles']) => {
    const builtIn = roles.find((role) => (ROLES as readonly string[]).includes(role));
    return builtIn === undefined ? undefined : `custom_roles: ${builtIn} is a built-in role already.`;
  },
});

/**
 * The settings of `patch` that break a rule of `SETTING_RULES`, each with its problem. A setting
 * whose value is not of its schema's shape is left to the schema's own message.
 */
export function settingRuleProblems(patch: Readonly<Record<string, unknown>>): Record<string, string> {
  const rules = SETTING_RULES as Readonly<Record<string, ((value: unknown) => string | undefined) | undefined>>;
  const problems: Record<string, string> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const schema = (Settings.properties as Record<string, TSchema>)[name];
    if (!rule || !schema || !Object.hasOwn(patch, name) || !Value.Check(schema, patch[name])) continue;
    const problem = rule(patch[name]);
    if (problem) problems[name] = problem;
  }
  return problems;
}

/** A validator that fills in defaults (Fastify's ajv does) must never fill a patch with them. */
function withoutDefault(schema: TSchema): TSchema {
  const { default: _default, ...rest } = schema;
  return rest as TSchema;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') for (const member of Object.values(value)) deepFreeze(member);
  return Object.freeze(value);
}

import { type Static, Type } from '@sinclair/typebox';
import type { ServiceName } from './naming.js';

/**
 * The event catalog: names are permanent. Each maps to the service that raises it,
 * which decides its subject (`hk.evt.<service>.<type>`).
 */
export const EVENT_TYPES = Object.freeze({
  'user.registered': 'identity',
  'user.updated': 'identity',
  'user.roles_changed': 'identity',
  'user.disabled': 'identity',
  'user.enabled': 'identity',
  'user.deleted': 'identity',
  'user.email_verified': 'identity',
  'user.imported': 'identity',
  'auth.login.succeeded': 'identity',
  'auth.login.failed': 'identity',
  'auth.account.locked': 'identity',
  'auth.ip.blocked': 'identity',
  'password.reset.requested': 'identity',
  'password.reset': 'identity',
  'password.changed': 'identity',
  'password.rehashed': 'identity',
  'settings.changed': 'identity',
  'token.issued': 'tokens',
  'token.refreshed': 'tokens',
  'token.revoked': 'tokens',
  'token.reuse_detected': 'tokens',
  'session.evicted': 'tokens',
  'sso.exchanged': 'tokens',
  'sso.rejected': 'tokens',
} as const satisfies Record<string, ServiceName>);

export type EventType = keyof typeof EVENT_TYPES;

export const EventMeta = Type.Object({
  traceparent: Type.Optional(Type.String()),
  correlationId: Type.Optional(Type.String()),
  causationId: Type.Optional(Type.String()),
  actor: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
  device: Type.Optional(Type.String()),
});
export type EventMeta = Static<typeof EventMeta>;

/** What travels on `HK_EVENTS`. Data never holds a secret, password, hash, reset key or token. */
export const EventEnvelope = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
  type: Type.String(),
  stream: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  occurredAt: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  meta: EventMeta,
});
export type EventEnvelope = Static<typeof EventEnvelope>;

export interface UserRegistered {
  user_id: number;
  user_login: string;
  user_email: string;
  display_name: string;
  roles: string[];
  /** Set when an SSO exchange provisioned the account: the connected site it came from. */
  sso_site?: string;
  /** Set when an administrator created the account. */
  by?: ChangedBy;
}
/**
 * A user brought over from a WordPress site by an operator (`npm run admin -- import wordpress`),
 * under the ID they had there. The password hash came with them and is never in the event.
 */
export interface UserImported {
  user_id: number;
  user_login: string;
  user_email: string;
  display_name: string;
  roles: string[];
  /** When they registered at WordPress (ISO 8601). */
  registered_at: string;
  source: 'wordpress';
  by: ChangedBy;
}
/** Who changed a user: an administrator through the API, or an operator through the admin CLI. */
export type ChangedBy = { user_id: number; user_login: string } | { cli: string };
/** An administrator changed a user's profile: the fields changed, each as it is now. */
export interface UserUpdated {
  user_id: number;
  user_email?: string;
  display_name?: string;
  by: ChangedBy;
}
export interface UserRolesChanged {
  user_id: number;
  roles: string[];
  previous_roles: string[];
  by: ChangedBy;
}
/** The user may no longer sign in; their sessions end, each with its own `token.revoked`. */
export interface UserDisabled {
  user_id: number;
  by: ChangedBy;
}
export interface UserEnabled {
  user_id: number;
  by: ChangedBy;
}
/** The user proved they read mail at their address (a mailed key or code). */
export interface UserEmailVerified {
  user_id: number;
}
/**
 * The account is gone and its personal data erased everywhere (README, Erasure). `by` is the
 * administrator or operator; absent when the user deleted their own account.
 */
export interface UserDeleted {
  user_id: number;
  by?: ChangedBy;
}
export interface LoginSucceeded {
  user_id: number;
  user_login: string;
}
export interface LoginFailed {
  /** Known user's id, or null: the typed login is kept only for unknown users' lockout streams. */
  user_id: number | null;
  /** A wrong password, or a right one the `login.allow` hook vetoed (a hook not heard is an outage, never recorded). */
  reason: 'invalid_credentials' | 'vetoed' | 'disabled' | 'email_unverified';
}
/** A login opened a session, or re-opened the one of the same named device, with a new token. */
export interface TokenIssued {
  user_id: number;
  session_id: string;
  jti: string;
  issued_at: number;
  expires_at: number;
  /** The device's name as shown: the one the client gave, else its User-Agent. */
  device: string;
  /**
   * Whether the client named the device (`device` in the body or `X-Device-Id`): only a named
   * device's next login takes this session back. A User-Agent is shown, never matched. Absent on
   * events recorded before it was kept.
   */
  device_named?: boolean;
  /** Until when (epoch seconds) the session may refresh. */
  refresh_until: number;
}
export interface TokenRefreshed {
  user_id: number;
  session_id: string;
  jti: string;
  parent_jti: string;
  issued_at: number;
  expires_at: number;
}
export interface TokenRevoked {
  user_id: number;
  session_id: string;
  reason: 'logout' | 'user' | 'admin' | 'password_changed' | 'password_reset' | 'reuse' | 'disabled' | 'deleted';
}
export interface TokenReuseDetected {
  user_id: number;
  session_id: string;
  presented_jti: string;
}
export interface SessionEvicted {
  user_id: number;
  session_id: string;
  device: string;
}
/** A remote site's token was exchanged for a local session. */
export interface SsoExchanged {
  site_key: string;
  remote_sub: string;
  /** The remote token's `jti`: an id, never the token. */
  remote_jti: string;
  user_id: number;
  session_id: string;
  jti: string;
  /** How the local account was found: an earlier link, the same email, or provisioned now. */
  link: 'existing' | 'email' | 'provisioned';
}
/** An exchange was refused; `reason` is the error code answered. No token or signature is kept. */
export interface SsoRejected {
  /** As the request named it (possibly unknown), cut to 128 characters. */
  site_key: string;
  reason: string;
  /** Known once the remote token was verified. */
  remote_sub: string | null;
}
/**
 * One changed value: a whole setting, or one member (`"GET /me"`) of an object-valued one.
 * `old` is null for a member that was not there before.
 */
export interface SettingChange {
  setting: string;
  member?: string;
  old: unknown;
  new: unknown;
}
/** An administrator changed settings: who (`user_id`, `user_login`), and each value before and after. */
export interface SettingsChanged {
  user_id: number;
  user_login: string;
  changes: SettingChange[];
}

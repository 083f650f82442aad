import { type Static, Type } from '@sinclair/typebox';
import { PATTERNS, Text } from './strings.js';

/** WordPress's roles, always known; an operator adds more with the `custom_roles` setting. */
export const ROLES = ['administrator', 'editor', 'author', 'contributor', 'subscriber'] as const;
/**
 * A role's name, known or not: the shape is checked wherever a role is written, whether it is
 * known (`knownRoles`) where a role is given to a user.
 */
export const Role = Type.String({ pattern: PATTERNS.role.pattern });
export type Role = Static<typeof Role>;

/** The roles a user may be given: the built-in ones and those of the `custom_roles` setting. */
export function knownRoles(customRoles: readonly string[]): string[] {
  return [...ROLES, ...customRoles.filter((role) => !(ROLES as readonly string[]).includes(role))];
}

/** The `user` object of every login answer, shaped as the WordPress plugin shapes it. */
export const UserView = Type.Object({
  ID: Type.Integer({ minimum: 1 }),
  user_login: Text(),
  user_email: Text(),
  display_name: Text(),
  roles: Type.Array(Role),
});
export type UserView = Static<typeof UserView>;

/** Whether a user may sign in: a disabled one cannot, and holds no live session. */
export const USER_STATUSES = ['active', 'disabled'] as const;
export const UserStatus = Type.Union(USER_STATUSES.map((s) => Type.Literal(s)));
export type UserStatus = Static<typeof UserStatus>;

/** A user as an administrator sees it (`GET /users`): the profile, its status and its activity. */
export const ManagedUser = Type.Composite([
  UserView,
  Type.Object({
    status: UserStatus,
    /** Whether the user proved the address theirs (`POST /verify-email`). */
    email_verified: Type.Boolean(),
    /** When the account was created (ISO 8601). */
    registered: Type.String(),
    /** When its last login succeeded (ISO 8601), or null for none. */
    last_login: Type.Union([Type.String(), Type.Null()]),
    /** Its sessions that may still refresh. */
    live_sessions: Type.Integer({ minimum: 0 }),
  }),
]);
export type ManagedUser = Static<typeof ManagedUser>;

/** Who asked, as the gateway saw it: carried on every command into the events' metadata. */
export const RequestContext = Type.Object({
  ip: Text({ maxLength: 64 }),
  userAgent: Text({ maxLength: 1024 }),
  requestId: Text({ maxLength: 128 }),
  device: Type.Optional(Text({ maxLength: 256 })),
});
export type RequestContext = Static<typeof RequestContext>;

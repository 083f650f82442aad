import { type Static, Type } from '@sinclair/typebox';
import { Text } from './strings.js';

export const ROLES = ['administrator', 'editor', 'author', 'contributor', 'subscriber'] as const;
export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
export type Role = Static<typeof Role>;

/** The `user` object of every login answer, shaped as the WordPress plugin shapes it. */
export const UserView = Type.Object({
  ID: Type.Integer({ minimum: 1 }),
  user_login: Text(),
  user_email: Text(),
  display_name: Text(),
  roles: Type.Array(Role),
});
export type UserView = Static<typeof UserView>;

/** Who asked, as the gateway saw it: carried on every command into the events' metadata. */
export const RequestContext = Type.Object({
  ip: Text({ maxLength: 64 }),
  userAgent: Text({ maxLength: 1024 }),
  requestId: Text({ maxLength: 128 }),
  device: Type.Optional(Text({ maxLength: 256 })),
});
export type RequestContext = Static<typeof RequestContext>;

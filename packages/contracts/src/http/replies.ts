import { type Static, Type } from '@sinclair/typebox';
import { UserView } from '../user.js';

export const IssuedToken = Type.Object({
  token: Type.String(),
  /** ISO 8601 UTC with `+00:00`, as the plugin writes it. */
  expiration: Type.String(),
  expires_in: Type.Integer(),
  refreshable: Type.Boolean(),
  jti: Type.String(),
});
export type IssuedToken = Static<typeof IssuedToken>;

export const TokenReply = Type.Composite([IssuedToken, Type.Object({ user: UserView })]);
export type TokenReply = Static<typeof TokenReply>;

/**
 * A password login's answer: the token answer, and the device secret the device presents on its
 * next logins (`device_secret` in the body) to be let through the account-wide lockout.
 */
export const LoginReply = Type.Composite([
  TokenReply,
  Type.Object({
    device_secret: Type.String({
      description: "Proof that this device logged in: send it as `device_secret` on this device's next logins.",
    }),
  }),
]);
export type LoginReply = Static<typeof LoginReply>;

export const RegisterReply = Type.Object({
  user_id: Type.Integer(),
  user: UserView,
  token_response: Type.Object({
    token: Type.String(),
    expiration: Type.String(),
    expires_in: Type.Integer(),
    jti: Type.String(),
  }),
});
export type RegisterReply = Static<typeof RegisterReply>;

export const Claims = Type.Object(
  {
    iss: Type.String(),
    aud: Type.Union([Type.String(), Type.Array(Type.String())]),
    iat: Type.Integer(),
    nbf: Type.Integer(),
    exp: Type.Integer(),
    jti: Type.String(),
    sub: Type.String(),
    sid: Type.String(),
    /** The user's email (the OIDC claim), so a connected site can link accounts by email. */
    email: Type.Optional(Type.String()),
    data: Type.Object({ ID: Type.Integer(), user_login: Type.String(), roles: Type.Array(Type.String()) }),
  },
  { additionalProperties: true },
);
export type Claims = Static<typeof Claims>;

export const ValidateReply = Type.Object({ valid: Type.Literal(true), data: Claims });
export type ValidateReply = Static<typeof ValidateReply>;

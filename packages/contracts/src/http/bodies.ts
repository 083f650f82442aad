import { type Static, Type } from '@sinclair/typebox';

/**
 * Request bodies of the REST contract. The gateway validates HTTP bodies with these and the
 * services validate the commands built from them, so both sides agree on every limit.
 */
const Login = Type.String({ minLength: 1, maxLength: 254 });
/** Bounded here to cap bcrypt input; the password policy gives the rule's own message. */
const Password = Type.String({ minLength: 1, maxLength: 4096 });
const Token = Type.String({ minLength: 1, maxLength: 8192 });

export const TokenBody = Type.Object({
  username: Login,
  password: Password,
  device: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});
export type TokenBody = Static<typeof TokenBody>;

export const RegisterBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 60 }),
  email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' }),
  password: Password,
  name: Type.Optional(Type.String({ maxLength: 250 })),
});
export type RegisterBody = Static<typeof RegisterBody>;

/** The token may come in the body or the `Authorization` header instead. */
export const TokenInBody = Type.Object({ token: Type.Optional(Token) });
export type TokenInBody = Static<typeof TokenInBody>;

import { type Static, Type } from '@sinclair/typebox';
import { PATTERNS, Text } from '../strings.js';

/**
 * Request bodies of the REST contract. The gateway validates HTTP bodies with these and the
 * services validate the commands built from them, so both sides agree on every limit.
 */
const Login = Text({ minLength: 1, maxLength: 254 });
/** Bounded here to cap bcrypt input; the password policy gives the rule's own message. */
const Password = Text({ minLength: 1, maxLength: 4096 });
const Token = Text({ minLength: 1, maxLength: 8192 });

/**
 * The `device_secret` of an earlier successful login's answer, sent back by the same browser or
 * app: proof of a device that logged in before, which passes the account-wide lockout.
 */
export const DeviceSecret = Text({
  minLength: 1,
  maxLength: 128,
  description:
    "The `device_secret` an earlier login on this device answered. A login that presents a live one is not held by the account-wide lockout (the lockout of the account and the client's address still holds). Keep it as you would a refresh token.",
});

export const TokenBody = Type.Object({
  username: Login,
  password: Password,
  device: Type.Optional(
    Text({
      minLength: 1,
      maxLength: 256,
      description:
        'Names the device: a later login naming it takes its session back. Without it (or `X-Device-Id`) every login opens a session of its own.',
    }),
  ),
  device_secret: Type.Optional(DeviceSecret),
});
export type TokenBody = Static<typeof TokenBody>;

export const RegisterBody = Type.Object({
  /** A new login: see `usernameProblem`. Logging in takes any `Login`, so older accounts keep theirs. */
  username: Type.String({ minLength: 1, maxLength: 60, format: 'username' }),
  email: Text({ minLength: 3, maxLength: 254, pattern: PATTERNS.email.pattern }),
  password: Password,
  name: Type.Optional(Text({ maxLength: 250 })),
});
export type RegisterBody = Static<typeof RegisterBody>;

/** The token may come in the body or the `Authorization` header instead. */
export const TokenInBody = Type.Object({ token: Type.Optional(Token) });
export type TokenInBody = Static<typeof TokenInBody>;

/** How a password reset reaches the user: a link with a one-time key, or a 6-digit code. */
export const ResetDelivery = Type.Union([Type.Literal('link'), Type.Literal('otp')]);
export type ResetDelivery = Static<typeof ResetDelivery>;

/** `/forgot-password`: `login` is the username or the email; unknown logins are answered the same. */
export const ForgotPasswordBody = Type.Object({
  login: Login,
  delivery: ResetDelivery,
});
export type ForgotPasswordBody = Static<typeof ForgotPasswordBody>;

/**
 * `/reset-password`: the mailed key as `token` or the mailed code as `otp`, exactly one of them.
 * One object rather than a union, so a missing or doubled secret gets a message naming it.
 */
export const ResetPasswordBody = Type.Object({
  login: Login,
  password: Password,
  token: Type.Optional(Text({ minLength: 1, maxLength: 512 })),
  otp: Type.Optional(Type.String({ pattern: PATTERNS.otp.pattern })),
});
export type ResetPasswordBody = Static<typeof ResetPasswordBody>;

/** `/change-password`: the caller comes from the Bearer token, never from the body. */
export const ChangePasswordBody = Type.Object({
  current_password: Password,
  new_password: Password,
});
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

/** `/verify-email/resend`: as `/forgot-password`, answered the same whether or not the login exists. */
export const ResendVerificationBody = Type.Object({
  login: Login,
  delivery: Type.Optional(ResetDelivery),
});
export type ResendVerificationBody = Static<typeof ResendVerificationBody>;

/** `/verify-email`: the mailed key as `token` or the mailed code as `otp`, exactly one of them. */
export const VerifyEmailBody = Type.Object({
  login: Login,
  token: Type.Optional(Text({ minLength: 1, maxLength: 512 })),
  otp: Type.Optional(Type.String({ pattern: PATTERNS.otp.pattern })),
});
export type VerifyEmailBody = Static<typeof VerifyEmailBody>;

/** The algorithms a PEM private key may be imported for. */
export const ImportAlgorithm = Type.Union([Type.Literal('RS256'), Type.Literal('ES256')]);

/** A PEM key is far below this; anything this long is not a key worth parsing. */
export const PRIVATE_KEY_MAX = 16_383;

/** `POST /keys/import`: a PEM private key, kept as generated keys are and never echoed. */
export const ImportKeyBody = Type.Object({
  algorithm: ImportAlgorithm,
  private_key: Text({
    minLength: 1,
    maxLength: PRIVATE_KEY_MAX,
    description: 'An unencrypted PEM private key: PKCS#8, PKCS#1 (RSA, 2048 bits or more) or SEC1 (EC P-256).',
  }),
  activate: Type.Optional(
    Type.Boolean({
      description: 'Sign with it now (the current key verifies only). Otherwise it is published and signs from the next rotation.',
    }),
  ),
});
export type ImportKeyBody = Static<typeof ImportKeyBody>;

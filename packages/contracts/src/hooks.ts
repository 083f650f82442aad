import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { RequestContext, UserView } from './user.js';

/**
 * Filters (DESIGN.md, extension points): optional request/reply hooks that anyone may answer on
 * `<instance>.hook.<name>`. None of them is ever sent a password, a hash, a token or a secret.
 */
export const HOOK_NAMES = ['token.claims', 'register.validate', 'login.allow'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** A hook is data, as a command is: its name on the bus and the schemas of both directions. */
export interface HookDef<Req extends TSchema = TSchema, Rep extends TSchema = TSchema> {
  readonly name: HookName;
  readonly request: Req;
  readonly reply: Rep;
}

function defineHook<Req extends TSchema, Rep extends TSchema>(name: HookName, request: Req, reply: Rep): HookDef<Req, Rep> {
  return Object.freeze({ name, request, reply });
}

/** A veto: `allow: false` refuses, and `message` (if any) is what the client is told. */
export const Verdict = Type.Object({
  allow: Type.Boolean(),
  message: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
});
export type Verdict = Static<typeof Verdict>;

/**
 * Claims the tokens service owns: a hook's claims of these names are dropped, never signed, so a
 * hook can add to a token but never change whose it is, for whom, or for how long.
 */
export const RESERVED_CLAIMS: readonly string[] = Object.freeze(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sid', 'data']);

/** Asked before each token is signed (a login or a refresh): extra claims to sign into it. */
export const tokenClaims = defineHook(
  'token.claims',
  Type.Object({ grant: Type.Union([Type.Literal('login'), Type.Literal('refresh')]), user: UserView, context: RequestContext }),
  Type.Object({ claims: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Unknown(), { maxProperties: 32 }) }),
);

/** Asked before an account is created by `/register`, with the canonical login and email. */
export const registerValidate = defineHook(
  'register.validate',
  Type.Object({ username: Type.String(), email: Type.String(), display_name: Type.String(), context: RequestContext }),
  Verdict,
);

/** Asked once the password of a login has proved right, before a session is opened. */
export const loginAllow = defineHook('login.allow', Type.Object({ user: UserView, context: RequestContext }), Verdict);

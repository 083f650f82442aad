import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { ERROR_CODES } from '../errors.js';
import { ImportAlgorithm, ImportKeyBody } from '../http/bodies.js';
import { IssuedToken, TokenReply, ValidateReply } from '../http/replies.js';
import { SigningAlgorithm } from '../settings.js';
import { PATTERNS, Text, UserId } from '../strings.js';
import { RequestContext, UserStatus, UserView } from '../user.js';
import { defineCommand, READ_ONLY } from './define.js';

const TokenString = Text({ minLength: 1, maxLength: 8192 });
const Uuid = Type.String({ pattern: PATTERNS.uuid.pattern });

/** Why every session of a user ends at once. */
export const EndReason = Type.Union([
  Type.Literal('password_changed'),
  Type.Literal('password_reset'),
  Type.Literal('admin'),
  Type.Literal('disabled'),
  Type.Literal('deleted'),
]);

/** Opens a session for an authenticated user (or re-opens the one of the same device). */
export const issue = defineCommand('tokens', 'issue', Type.Object({ user: UserView, context: RequestContext }), IssuedToken);

/**
 * A valid token's claims, and the roles its caller holds now: those of the token the user still
 * has. A role taken away counts on the next request; a role given comes with the next token.
 */
export const Validated = Type.Composite([ValidateReply, Type.Object({ roles: Type.Array(Type.String()) })]);

export const validate = defineCommand(
  'tokens',
  'validate',
  Type.Object({ token: TokenString, context: RequestContext }),
  Validated,
  READ_ONLY,
);

/** How many tokens one `validateMany` may carry. */
export const VALIDATE_MANY_MAX = 256;

/** One request's answer within a batch command: the answer its single command would have given. */
const outcomeOf = <T extends TSchema>(data: T) =>
  Type.Union([
    Type.Object({ ok: Type.Literal(true), data }),
    Type.Object({
      ok: Type.Literal(false),
      error: Type.Object({
        code: Type.Union(ERROR_CODES.map((code) => Type.Literal(code))),
        message: Type.Optional(Type.String()),
        details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    }),
  ]);

export const ValidateOutcome = outcomeOf(Validated);

/**
 * Validates the tokens of many requests at once, each exactly as `validate` would, in the same
 * order: the gateway coalesces concurrent validates into one of these, so a busy gateway sends one
 * message and tokens reads the sessions once, where it would have done both per token.
 */
export const validateMany = defineCommand(
  'tokens',
  'validateMany',
  Type.Object({ tokens: Type.Array(TokenString, { minItems: 1, maxItems: VALIDATE_MANY_MAX }) }),
  Type.Object({ results: Type.Array(ValidateOutcome) }),
  READ_ONLY,
);

/** Rotates the session's token: the presented one dies, a new `jti` is answered. */
export const refresh = defineCommand('tokens', 'refresh', Type.Object({ token: TokenString, context: RequestContext }), TokenReply);

/** How many refreshes one `refreshMany` may carry. */
export const REFRESH_MANY_MAX = 128;

export const RefreshOutcome = outcomeOf(TokenReply);

/**
 * Refreshes many sessions at once, each exactly as `refresh` would, answered in the same order:
 * the gateway coalesces concurrent refreshes into one of these, and the tokens service decides
 * them all in one transaction.
 */
export const refreshMany = defineCommand(
  'tokens',
  'refreshMany',
  Type.Object({
    items: Type.Array(Type.Object({ token: TokenString, context: RequestContext }), { minItems: 1, maxItems: REFRESH_MANY_MAX }),
  }),
  Type.Object({ results: Type.Array(RefreshOutcome) }),
);

export const revoke = defineCommand(
  'tokens',
  'revoke',
  Type.Object({ token: TokenString, context: RequestContext }),
  Type.Object({ message: Type.String() }),
);

export const SessionView = Type.Object({
  id: Uuid,
  /** The name the client gave its device, or else its User-Agent. */
  device: Type.String(),
  /** Read from the User-Agent of the session's last login: `Chrome 120`, `iOS 17.2`, `mobile`. */
  browser: Type.Union([Type.String(), Type.Null()]),
  os: Type.Union([Type.String(), Type.Null()]),
  device_type: Type.String(),
  ip: Type.String(),
  created: Type.String(),
  last_seen: Type.String(),
  current: Type.Boolean(),
});

export const listSessions = defineCommand(
  'tokens',
  'listSessions',
  Type.Object({ user_id: UserId, current_session: Type.Optional(Uuid) }),
  Type.Object({ sessions: Type.Array(SessionView) }),
  READ_ONLY,
);

/**
 * Ends one session of a user: the caller's own (`reason` `user`, the default), or any user's by an
 * administrator (`admin`). A session that is not this user's is "not found".
 */
export const endSession = defineCommand(
  'tokens',
  'endSession',
  Type.Object({
    user_id: UserId,
    session_id: Uuid,
    reason: Type.Optional(Type.Union([Type.Literal('user'), Type.Literal('admin')])),
    context: RequestContext,
  }),
  Type.Object({ ended: Type.Boolean() }),
);

/** Ends every session of a user: on password change and reset, and by an administrator. */
export const endUserSessions = defineCommand(
  'tokens',
  'endUserSessions',
  Type.Object({ user_id: UserId, reason: EndReason, context: RequestContext }),
  Type.Object({ ended: Type.Integer({ minimum: 0 }) }),
);

export const PublicJwk = Type.Object(
  { kty: Type.String(), kid: Type.String(), alg: Type.String(), use: Type.Literal('sig') },
  { additionalProperties: true },
);

export const jwks = defineCommand('tokens', 'jwks', Type.Object({}), Type.Object({ keys: Type.Array(PublicJwk) }), READ_ONLY);

export const rotateKey = defineCommand(
  'tokens',
  'rotateKey',
  Type.Object({ context: RequestContext }),
  Type.Object({ kid: Type.String(), alg: Type.String(), retired: Type.Array(Type.String()) }),
);

/** The signing algorithms. */

/**
 * Where a key comes from: `environment` (HEADLESSKEY_SECRET_KEY or HEADLESSKEY_PRIVATE_KEY, never
 * rotated here), `generated` by this service, or `imported` by an administrator.
 */
export const KeySource = Type.Union([Type.Literal('environment'), Type.Literal('generated'), Type.Literal('imported')]);
export type KeySource = Static<typeof KeySource>;

/**
 * `active` signs new tokens of its algorithm; `next` is published and signs from the next rotation;
 * `verifying_only` signs nothing and verifies until `verify_until`; `retired` verifies nothing.
 */
export const KeyState = Type.Union([Type.Literal('active'), Type.Literal('next'), Type.Literal('verifying_only'), Type.Literal('retired')]);
export type KeyState = Static<typeof KeyState>;

/** What an administrator sees of a signing key: never its secret or private part. */
export const KeyView = Type.Object({
  kid: Type.String(),
  alg: SigningAlgorithm,
  source: KeySource,
  state: KeyState,
  /** RFC 3339; null for a key of the environment, which is as old as the process. */
  created: Type.Union([Type.String(), Type.Null()]),
  verify_until: Type.Union([Type.String(), Type.Null()]),
});
export type KeyView = Static<typeof KeyView>;

export const listKeys = defineCommand(
  'tokens',
  'listKeys',
  Type.Object({}),
  Type.Object({ algorithm: SigningAlgorithm, keys: Type.Array(KeyView) }),
  READ_ONLY,
);

export const importKey = defineCommand(
  'tokens',
  'importKey',
  Type.Object({
    ...ImportKeyBody.properties,
    activate: Type.Boolean(),
    context: RequestContext,
  }),
  Type.Object({ kid: Type.String(), alg: ImportAlgorithm, state: KeyState, retired: Type.Array(Type.String()) }),
);

/**
 * Tells this service a user changed (identity sends it before answering the change): the profile
 * it signs from, and whether the user may hold sessions. `version` orders it with the events of the
 * same change, which the projection takes too; a disabled user's live sessions end here.
 */
export const syncUser = defineCommand(
  'tokens',
  'syncUser',
  Type.Object({ user: UserView, status: UserStatus, version: Type.Integer({ minimum: 1 }), context: RequestContext }),
  Type.Object({ ended: Type.Integer({ minimum: 0 }) }),
);

/** What an administrator sees of users' sessions: how many may still refresh, and the last login. */
export const userActivity = defineCommand(
  'tokens',
  'userActivity',
  Type.Object({ user_ids: Type.Array(UserId, { minItems: 1, maxItems: 256 }) }),
  Type.Object({
    users: Type.Array(Type.Object({ user_id: UserId, live_sessions: Type.Integer({ minimum: 0 }) })),
  }),
  READ_ONLY,
);

/**
 * Erases a deleted user from this service: their sessions end (one `token.revoked` each, recorded
 * without the request's address), and their personal data leaves its events, snapshots and tables.
 */
export const eraseUser = defineCommand(
  'tokens',
  'eraseUser',
  Type.Object({ user_id: UserId, context: RequestContext }),
  Type.Object({ ended: Type.Integer({ minimum: 0 }) }),
);

export const SessionStats = Type.Object({
  /** Sessions that are active and may still refresh. */
  live_sessions: Type.Integer({ minimum: 0 }),
  /** The users those sessions belong to. */
  users: Type.Integer({ minimum: 0 }),
});
export type SessionStats = Static<typeof SessionStats>;

/** How many sessions are live now, across every user. */
export const sessionStats = defineCommand('tokens', 'sessionStats', Type.Object({}), SessionStats, READ_ONLY);

import { randomUUID } from 'node:crypto';
import type { IssuedToken, RequestContext, Settings, tokensCommands, UserView } from '@headlesskey/contracts';
import { DomainError, decideInTransaction, metaFrom, retryOnConflict, type Sql, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import type { Keyring } from '../keys/keyring.js';
import { assertMaySignIn } from '../users/standing.js';
import { answerToken } from './answer.js';
import { sessionDecider } from './decider.js';
import { planLogin } from './device-slots.js';
import { hookClaims } from './hook-claims.js';
import { lockLiveSessions, projectSession } from './read-model.js';
import { type SessionCommand, type SessionState, sessionStream } from './session.js';

type IssueCommand = Static<typeof tokensCommands.issue.request>;

/**
 * The device as shown (sessions, events): the name the client gave in `device` or `X-Device-Id`,
 * else its User-Agent. Only a given name identifies a device (see `planLogin`).
 */
export const deviceOf = (context: RequestContext) => (context.device || context.userAgent || 'unknown').slice(0, 256);

/**
 * A login: takes a device slot (the same named device's own, a free one, or the oldest one's under
 * `evict_oldest`) and signs the session's first token. Slots are decided under a per-user lock,
 * so N+1 parallel logins never leave more than N live sessions.
 */
export function issueHandler(svc: WritingService, config: TokensConfig, keyring: Keyring) {
  return async ({ user, context }: IssueCommand): Promise<IssuedToken> => {
    const settings = svc.settings.current();
    const now = Math.floor(Date.now() / 1000);
    const extra = await hookClaims(svc, 'login', user, context);
    const session = await retryOnConflict(svc.store, (tx) => openSession(svc, tx, { user, context, settings, now }));
    return answerToken(keyring, config, settings, user, session, now, extra);
  };
}

export interface OpenSession {
  user: UserView;
  context: RequestContext;
  settings: Settings;
  /** Epoch seconds the login is decided at. */
  now: number;
}

/**
 * Opens (or re-opens) the session of a login inside the caller's transaction: a device slot is
 * taken under the user's lock, and the session's first token decided. An SSO exchange opens its
 * session this way too, in the transaction that accepts the remote token.
 */
export async function openSession(svc: WritingService, tx: Sql, { user, context, settings, now }: OpenSession) {
  const token = { jti: randomUUID(), issuedAt: now, expiresAt: now + settings.token_ttl };
  const refreshUntil = now + settings.refresh_ttl;
  const device = deviceOf(context);
  const named = context.device ? device : undefined;
  const live = await lockLiveSessions(tx, user.ID);
  await assertMaySignIn(tx, user.ID);
  const plan = planLogin(live, named, settings.device_limit, settings.device_policy);
  if (plan.kind === 'reject') throw new DomainError('headlesskey_device_limit');
  for (const evicted of plan.kind === 'open' ? plan.evict : []) await apply(svc, tx, evicted, { type: 'Evict' }, context, user.ID);
  const sessionId = plan.kind === 'reopen' ? plan.sessionId : randomUUID();
  const command: SessionCommand =
    plan.kind === 'reopen'
      ? { type: 'Reopen', token, refreshUntil }
      : { type: 'Open', sessionId, userId: user.ID, device, deviceNamed: named !== undefined, token, refreshUntil };
  return apply(svc, tx, sessionId, command, context, user.ID);
}

/** Decides one command on one session inside the caller's transaction and projects it. */
export async function apply(
  svc: WritingService,
  tx: Sql,
  sessionId: string,
  command: SessionCommand,
  context: RequestContext,
  actor: number,
) {
  const { state } = await decideInTransaction(tx, {
    scope: svc.scope,
    streamId: sessionStream(sessionId),
    decider: sessionDecider,
    command,
    meta: command.type === 'Revoke' ? fromSessionDevice(context, actor) : metaFrom({ ...context, device: deviceOf(context) }, actor),
    project: (tx, events, next) => projectSession(tx, events, next, context.ip, context.userAgent),
  });
  if (state.status === 'absent') throw new Error(`session ${sessionId} is absent after ${command.type}`);
  return state;
}

/**
 * The metadata of a refresh or a logout: it comes from the session's own device (the request
 * holds the session's token and names no device of its own). Anything else names the device the
 * request does, as a login would.
 */
export const fromSessionDevice = (context: RequestContext, actor: number) => (before: SessionState) =>
  metaFrom({ ...context, device: before.status === 'absent' ? deviceOf(context) : before.device }, actor);

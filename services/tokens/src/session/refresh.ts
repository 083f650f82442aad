import { randomUUID } from 'node:crypto';
import { hooks, type TokenReply, type tokensCommands } from '@headlesskey/contracts';
import { DomainError, decideMany, hookPolicy, isDecided, readStreams, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import { verifyToken } from '../jwt/verify.js';
import type { Keyring } from '../keys/keyring.js';
import { usersById } from '../users/directory.js';
import { answerToken } from './answer.js';
import { sessionDecider } from './decider.js';
import { hookClaimsEach } from './hook-claims.js';
import { fromSessionDevice } from './issue.js';
import { rotationsWrite } from './read-model.js';
import { tokenRejection } from './rejection.js';
import { type SessionCommand, sessionStream } from './session.js';

type RefreshItem = Static<typeof tokensCommands.refreshMany.request>['items'][number];
type Outcome = Static<typeof tokensCommands.RefreshOutcome>;

const REUSE = new DomainError('headlesskey_token_revoked', 'Token reuse detected; the session has been ended.', {
  reason: 'token reuse detected',
});

/** A refusal that ended its session for reuse (and raised `token.reuse_detected`). */
export const isReuse = (outcome: Outcome): boolean => !outcome.ok && outcome.error.message === REUSE.message;

const failure = (err: unknown): Outcome => {
  if (err instanceof DomainError) return { ok: false, error: err.toBody() };
  throw err;
};

/**
 * Rotates the tokens of many sessions, each as a lone refresh would: the users' profiles come
 * from this service's projection of identity's events (identity answers for any not projected
 * yet), and every session decides its own refresh — all of them in one read and one atomic write
 * (`decideMany`). Reuse of a rotated token is committed (the session ends, the event is raised)
 * before its refusal is answered.
 */
export function refreshSessions(svc: WritingService, config: TokensConfig, keyring: Keyring) {
  return async (items: readonly RefreshItem[]): Promise<Outcome[]> => {
    const settings = svc.settings.current();
    const now = Math.floor(Date.now() / 1000);
    const outcomes: Outcome[] = new Array(items.length);
    const verified = await Promise.all(items.map((item) => verifyToken(item.token, keyring, { ...config, allowExpired: true })));
    const userIds = [...new Set(verified.flatMap((v) => (v.ok ? [v.claims.data.ID] : [])))];
    // The sessions and the users are read at once.
    const sids = [...new Set(verified.flatMap((v) => (v.ok ? [sessionStream(v.claims.sid)] : [])))];
    const read = readStreams(svc.store.db, sessionDecider, sids);
    read.catch(() => {});
    const users = await usersById(svc, userIds);
    const known = items.flatMap((item, index) => {
      const v = verified[index]!;
      if (!v.ok) {
        outcomes[index] = failure(tokenRejection(v));
        return [];
      }
      const user = users.get(v.claims.data.ID);
      if (!user || 'code' in user) {
        outcomes[index] = failure(new DomainError(user?.code ?? 'headlesskey_token_revoked'));
        return [];
      }
      return [{ index, sid: v.claims.sid, jti: v.claims.jti, user, context: item.context }];
    });
    // Only a `token.claims` hook that fails closed can refuse a refresh: its answers come before
    // the write, so a refusal leaves the session as it was. One that fails open is asked while
    // the rotations commit, its round trip off the batch's path.
    const policy = hookPolicy(settings, hooks.tokenClaims.name);
    const asked = hookClaimsEach(svc, 'refresh', known, policy);
    asked.catch(() => {});
    const early = policy.fail === 'closed' ? await asked : undefined;
    const pending = known.flatMap((k, claimsAt) => {
      const refusal = early?.[claimsAt];
      if (refusal instanceof DomainError) {
        outcomes[k.index] = failure(refusal);
        return [];
      }
      return [{ ...k, claimsAt }];
    });
    const tokens = pending.map(() => ({ jti: randomUUID(), issuedAt: now, expiresAt: now + settings.token_ttl }));
    const decided = await decideMany(svc.store.db, {
      scope: svc.scope,
      decider: sessionDecider,
      read,
      commands: pending.map((c, i) => ({
        streamId: sessionStream(c.sid),
        command: { type: 'Refresh', presentedJti: c.jti, token: tokens[i]!, now, grace: settings.refresh_grace } satisfies SessionCommand,
        meta: fromSessionDevice(c.context, c.user.ID),
      })),
      project: (results) =>
        rotationsWrite(
          results.flatMap((r, i) => (isDecided(r) && r.events.length > 0 ? [{ state: r.state, ip: pending[i]!.context.ip }] : [])),
        ),
    });
    const claims = early ?? (await asked);
    await Promise.all(
      pending.map(async (c, i) => {
        const result = decided[i]!;
        const extra = claims[c.claimsAt]!;
        if (!isDecided(result)) outcomes[c.index] = failure(new DomainError(result.refused, result.message, result.details));
        else if (result.state.status !== 'active') outcomes[c.index] = failure(REUSE);
        // A refusal comes only from a hook that fails closed, and those were answered above.
        else if (extra instanceof DomainError) outcomes[c.index] = failure(extra);
        else {
          const answer = await answerToken(keyring, config, settings, c.user, result.state, now, extra);
          outcomes[c.index] = { ok: true, data: { ...answer, user: c.user } };
        }
      }),
    );
    return outcomes;
  };
}

/** `refresh`: one token, its refusal answered as the command's error. */
export function refreshHandler(refresh: ReturnType<typeof refreshSessions>) {
  return async (item: RefreshItem): Promise<TokenReply> => {
    const [outcome] = await refresh([item]);
    if (!outcome?.ok) throw outcome ? new DomainError(outcome.error.code, outcome.error.message, outcome.error.details) : REUSE;
    return outcome.data;
  };
}

/** `refreshMany`: each refresh's answer in its place, refusals included. */
export function refreshManyHandler(refresh: ReturnType<typeof refreshSessions>) {
  return async ({ items }: Static<typeof tokensCommands.refreshMany.request>) => ({ results: await refresh(items) });
}

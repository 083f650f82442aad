import type { RequestContext, tokensCommands } from '@headlesskey/contracts';
import { DomainError, deviceOf, retryOnConflict, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { apply } from './issue.js';
import { activeSessionIds } from './read-model.js';

type EndReason = Req<'endUserSessions'>['reason'];
type Req<K extends 'listSessions' | 'endSession' | 'endUserSessions'> = Static<(typeof tokensCommands)[K]['request']>;

/** `GET /sessions`: the caller's devices, most recently seen first, each with the browser and OS its agent names. */
export function listSessionsHandler(svc: WritingService) {
  return async ({ user_id, current_session }: Req<'listSessions'>) => {
    const rows = await svc.store.db.execute<
      { id: string; device: string; user_agent: string; ip: string; created: Date; last_seen: Date }[]
    >(
      `select id, device, user_agent, ip, created_at as created, last_seen_at as last_seen from sessions
       where user_id = ? and status = 'active' and refresh_until > now() order by last_seen_at desc`,
      [user_id],
    );
    return {
      sessions: rows.map((r) => {
        const agent = deviceOf(r.user_agent);
        return {
          id: r.id,
          device: r.device,
          browser: agent.browser,
          os: agent.os,
          device_type: agent.type,
          ip: r.ip,
          created: new Date(r.created).toISOString(),
          last_seen: new Date(r.last_seen).toISOString(),
          current: r.id === current_session,
        };
      }),
    };
  };
}

/**
 * `DELETE /sessions/{id}` and `DELETE /users/{id}/sessions/{session_id}`: ends one of the user's
 * sessions; someone else's is not found.
 */
export function endSessionHandler(svc: WritingService) {
  return async ({ user_id, session_id, reason = 'user', context }: Req<'endSession'>) => {
    const [owned] = await svc.store.db.execute<{ n: number }[]>(
      "select count(*)::int as n from sessions where id = ? and user_id = ? and status = 'active'",
      [session_id, user_id],
    );
    if (!owned || owned.n === 0) throw new DomainError('headlesskey_not_found', 'No such session.');
    await retryOnConflict(svc.store, (tx) => apply(svc, tx, session_id, { type: 'End', reason }, context, user_id));
    return { ended: true };
  };
}

/** Ends every live session of a user before answering, so their tokens fail the next validate. */
export function endUserSessionsHandler(svc: WritingService) {
  return async ({ user_id, reason, context }: Req<'endUserSessions'>) => ({
    ended: await endEverySession(svc, user_id, reason, context),
  });
}

/**
 * Ends the user's live sessions (with `openedBefore`, those logged into before it), one
 * `token.revoked` each; answers how many. Ending none is no error: whoever ended them first did.
 */
export async function endEverySession(
  svc: WritingService,
  userId: number,
  reason: EndReason,
  context: RequestContext,
  openedBefore?: string,
): Promise<number> {
  const ids = await activeSessionIds(svc.store.db, userId, openedBefore);
  for (const id of ids) {
    await retryOnConflict(svc.store, (tx) => apply(svc, tx, id, { type: 'End', reason }, context, userId));
  }
  return ids.length;
}

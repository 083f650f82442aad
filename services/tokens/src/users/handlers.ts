import type { tokensCommands } from '@headlesskey/contracts';
import type { WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { learnUser } from './standing.js';

type Req<K extends 'syncUser' | 'userActivity'> = Static<(typeof tokensCommands)[K]['request']>;

/** `syncUser`: identity's word on a changed user, before it answers the change. */
export function syncUserHandler(svc: WritingService) {
  return async ({ user, status, version, context }: Req<'syncUser'>) => ({
    ended: await learnUser(svc, { user, disabled: status === 'disabled', version }, context),
  });
}

/** `userActivity`: each user's sessions that may still refresh, for the administrators' user list. */
export function userActivityHandler(svc: WritingService) {
  return async ({ user_ids }: Req<'userActivity'>) => {
    const rows = await svc.store.db.execute<{ user_id: number; live: number }[]>(
      `select user_id, count(*)::int as live from sessions
       where user_id = any(?::int[]) and status = 'active' and refresh_until > now() group by user_id`,
      [[...user_ids]],
    );
    const live = new Map(rows.map((r) => [r.user_id, r.live]));
    return { users: user_ids.map((user_id) => ({ user_id, live_sessions: live.get(user_id) ?? 0 })) };
  };
}

import { ERASED, erasePersonal, type RequestContext, type tokensCommands, type UserView } from '@headlesskey/contracts';
import { eraseFromEventStore, retryOnConflict, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { lockUserSlots } from '../session/read-model.js';
import { endEverySession } from '../session/user-sessions.js';

type EraseUserCommand = Static<typeof tokensCommands.eraseUser.request>;

/** Above any stream version: no later word on the user changes the erased row again. */
const FINAL_VERSION = 2_147_483_647;

/**
 * `eraseUser` (README, Erasure): a deleted user's sessions end, then their personal data leaves
 * this service — the fields of its events about them and its snapshots, the sessions' address,
 * agent and device, the projected profile (kept erased and disabled, so no late event brings it
 * back or signs for it) — and then the event stream. Done again, it finds nothing more to do.
 */
export function eraseUserHandler(svc: WritingService) {
  return async ({ user_id, context }: EraseUserCommand) => ({ ended: await eraseUser(svc, user_id, context) });
}

/** Erases the user from this service (see `eraseUserHandler`); answers how many sessions ended. */
export async function eraseUser(svc: WritingService, userId: number, context: RequestContext): Promise<number> {
  const ended = await endEverySession(svc, userId, 'deleted', context);
  const erasure = await retryOnConflict(svc.store, async (tx) => {
    await lockUserSlots(tx, userId);
    await tx.execute(`update sessions set ip = '', user_agent = '', device = ? where user_id = ?`, [ERASED, userId]);
    const [row] = await tx.execute<{ profile: UserView }[]>('select profile from users where id = ?', [userId]);
    const profile = erasePersonal(row?.profile ?? { ID: userId, roles: [] });
    await tx.execute(
      `insert into users (id, version, profile, disabled) values (?, ?, ?::jsonb, true)
       on conflict (id) do update set version = excluded.version, profile = excluded.profile, disabled = true`,
      [userId, FINAL_VERSION, JSON.stringify(profile)],
    );
    return eraseFromEventStore(tx, userId);
  });
  await svc.eraseFromStream(userId, erasure);
  return ended;
}

/** Whether this service has erased the user already (its profile is kept at the final version). */
export async function isErased(svc: WritingService, userId: number): Promise<boolean> {
  const [row] = await svc.store.db.execute<{ version: number }[]>('select version from users where id = ?', [userId]);
  return row?.version === FINAL_VERSION;
}

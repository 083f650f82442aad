import { ERASED, erasePersonal, type tokensCommands, type UserView } from '@headlesskey/contracts';
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
  return async ({ user_id, context }: EraseUserCommand) => {
    const ended = await endEverySession(svc, user_id, 'deleted', context);
    const erasure = await retryOnConflict(svc.store, async (tx) => {
      await lockUserSlots(tx, user_id);
      await tx.execute(`update sessions set ip = '', user_agent = '', device = ? where user_id = ?`, [ERASED, user_id]);
      const [row] = await tx.execute<{ profile: UserView }[]>('select profile from users where id = ?', [user_id]);
      const profile = erasePersonal(row?.profile ?? { ID: user_id, roles: [] });
      await tx.execute(
        `insert into users (id, version, profile, disabled) values (?, ?, ?::jsonb, true)
         on conflict (id) do update set version = excluded.version, profile = excluded.profile, disabled = true`,
        [user_id, FINAL_VERSION, JSON.stringify(profile)],
      );
      return eraseFromEventStore(tx, user_id);
    });
    await svc.eraseFromStream(user_id, erasure);
    return { ended };
  };
}

import type { RequestContext, UserView } from '@headlesskey/contracts';
import { DomainError, retryOnConflict, type Sql, type WritingService } from '@headlesskey/platform';
import { lockUserSlots } from '../session/read-model.js';
import { endEverySession } from '../session/user-sessions.js';

/** A user as identity last told this service, by command or by event. */
export interface KnownUser {
  user: UserView;
  disabled: boolean;
  /** The user stream's version this state is as of: an older word changes nothing. */
  version: number;
}

/**
 * Takes identity's word on a user (its `syncUser`), under the user's session slots so that no
 * login opens a session across a disable; then, if the user is disabled, ends their sessions.
 * Answers how many ended.
 */
export async function learnUser(svc: WritingService, known: KnownUser, context: RequestContext): Promise<number> {
  await retryOnConflict(svc.store, async (tx) => {
    await lockUserSlots(tx, known.user.ID);
    await tx.execute(
      `insert into users (id, version, profile, disabled) values (?, ?, ?::jsonb, ?)
       on conflict (id) do update set version = excluded.version, profile = excluded.profile, disabled = excluded.disabled
       where users.version < excluded.version`,
      [known.user.ID, known.version, JSON.stringify(known.user), known.disabled],
    );
  });
  return endSessionsIfDisabled(svc, known.user.ID, context);
}

/** Ends a disabled user's live sessions (none left to end is no error); answers how many. */
export async function endSessionsIfDisabled(svc: WritingService, userId: number, context: RequestContext): Promise<number> {
  if (!(await isDisabled(svc.store.db, userId))) return 0;
  return endEverySession(svc, userId, 'disabled', context);
}

async function isDisabled(db: Sql, userId: number): Promise<boolean> {
  const [row] = await db.execute<{ disabled: boolean }[]>('select disabled from users where id = ?', [userId]);
  return row?.disabled === true;
}

/**
 * Inside a login's transaction, once the user's slots are held: refuses a user disabled before it,
 * as identity refuses their password. Identity checked first; this closes the moment between.
 */
export async function assertMaySignIn(tx: Sql, userId: number): Promise<void> {
  if (await isDisabled(tx, userId)) throw new DomainError('headlesskey_invalid_credentials');
}

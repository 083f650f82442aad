import type { identityCommands } from '@headlesskey/contracts';
import { DomainError, retryOnConflict, type Sql } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../../identity.js';
import { findById } from '../../user/read-model.js';
import { clearCounters } from './gate.js';
import { accountKey, clientsOf, otpKey } from './keys.js';
import { keysUnder } from './store.js';

type UnlockCommand = Static<typeof identityCommands.unlockUser.request>;

/**
 * `POST /users/{id}/unlock`: an administrator lifts the account's lockouts (from every address and
 * from each), their failure counts and its wrong-code count. Client-IP blocks are left alone: they are not the user's.
 */
export function unlockUserHandler(app: Identity) {
  const { svc } = app;
  return async (cmd: UnlockCommand): Promise<{ unlocked: boolean }> => {
    const user = await findById(svc.store.db, cmd.user_id);
    if (!user) throw new DomainError('headlesskey_not_found', 'No such user.');
    const unlocked = await retryOnConflict(svc.store, (tx) => liftAccountLocks(tx, user.ID, user.user_login));
    return { unlocked };
  };
}

/**
 * Clears an account's sign-in counters, from every client and from each one, and its wrong-code
 * count; says whether any was locked. An administrator's unlock and a completed reset do this.
 */
export async function liftAccountLocks(tx: Sql, userId: number, login: string): Promise<boolean> {
  const account = accountKey(userId, login);
  const perClient = await keysUnder(tx, clientsOf(account));
  return clearCounters(tx, [account, otpKey(userId, login), ...perClient]);
}

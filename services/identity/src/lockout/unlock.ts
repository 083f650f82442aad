import type { identityCommands } from '@headlesskey/contracts';
import { DomainError, retryOnConflict } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../identity.js';
import { findById } from '../user/read-model.js';
import { clearCounters } from './gate.js';
import { accountKey, otpKey } from './keys.js';

type UnlockCommand = Static<typeof identityCommands.unlockUser.request>;

/**
 * `POST /users/{id}/unlock`: an administrator lifts the account's lockout, its failure count and
 * its wrong-code count. Client-IP blocks are left alone: they are not the user's.
 */
export function unlockUserHandler(app: Identity) {
  const { svc } = app;
  return async (cmd: UnlockCommand): Promise<{ unlocked: boolean }> => {
    const user = await findById(svc.store.db, cmd.user_id);
    if (!user) throw new DomainError('headlesskey_not_found', 'No such user.');
    const unlocked = await retryOnConflict(svc.store, (tx) =>
      clearCounters(tx, [accountKey(user.ID, user.user_login), otpKey(user.ID, user.user_login)]),
    );
    return { unlocked };
  };
}

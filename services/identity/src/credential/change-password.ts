import { randomUUID } from 'node:crypto';
import type { identityCommands } from '@headlesskey/contracts';
import { type CommandMeta, DomainError, decideInTransaction, retryOnConflict } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../identity.js';
import { forgetKnownDevices } from '../sign-in/known-devices.js';
import { settle } from '../sign-in/lockout/gate.js';
import { confirmPassword } from './confirm-password.js';
import { credentialStream } from './credential.js';
import { credentialDecider } from './decider.js';
import { endAllSessions } from './end-sessions.js';
import { hashPassword } from './passwords/hashing.js';
import { findWithCredential, setPasswordHash } from './read-model.js';
import { enqueueMailJob } from './reset/jobs.js';
import { voidReset } from './reset/store.js';

type ChangeCommand = Static<typeof identityCommands.changePassword.request>;

const CHANGED = 'Password changed successfully. Please login again.';

/**
 * `POST /change-password`: a valid token is not enough, the current password is asked too, and
 * checking it is an attempt like a login's: counted against the IP and the account from it first,
 * and a wrong one is a failure toward the lockout. The new hash, `password.changed`, the cleared
 * count, the forgotten known devices and the owner's notice commit together; every session of the
 * user ends before the answer. `queued` wakes the mail worker.
 */
export function changePasswordHandler(app: Identity, queued: () => void) {
  const { svc } = app;
  return async (cmd: ChangeCommand, { deadline }: CommandMeta): Promise<{ message: string }> => {
    const found = await findWithCredential(svc.store.db, cmd.user_id);
    if (!found) throw new DomainError('headlesskey_not_found', 'No such user.');
    const { user } = found;
    app.policy.assertAcceptable(cmd.new_password, { username: user.user_login, email: user.user_email });
    const { pass, ctx } = await confirmPassword(app, found, cmd.current_password, cmd.context, deadline, 'change_password');
    // No deadline: the current password is proven, so the change is no longer shed.
    const passwordHash = await app.passwordWork.run(undefined, () => hashPassword(cmd.new_password, app.config.bcryptCost));
    await retryOnConflict(svc.store, async (tx) => {
      const at = Date.now();
      await decideInTransaction(tx, {
        ...ctx,
        streamId: credentialStream(user.ID),
        decider: credentialDecider,
        command: { type: 'ChangePassword', userId: user.ID, at },
      });
      await setPasswordHash(tx, user.ID, passwordHash, new Date(at));
      await voidReset(tx, user.ID);
      await forgetKnownDevices(tx, user.ID);
      await settle(tx, ctx, pass, 'success');
      await enqueueMailJob(tx, { id: randomUUID(), kind: 'password_changed', userId: user.ID, meta: ctx.meta });
    });
    queued();
    await endAllSessions(svc, user.ID, 'password_changed', cmd.context);
    return { message: CHANGED };
  };
}

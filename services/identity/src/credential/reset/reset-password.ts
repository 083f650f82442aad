import { randomUUID } from 'node:crypto';
import type { identityCommands } from '@headlesskey/contracts';
import { decideInTransaction, metaFrom, retryOnConflict } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../../identity.js';
import { forgetKnownDevices } from '../../sign-in/known-devices.js';
import { openGate, settleNow } from '../../sign-in/lockout/gate.js';
import { otpThrottle } from '../../sign-in/lockout/throttles.js';
import { liftAccountLocks } from '../../sign-in/lockout/unlock.js';
import { canonicalEmail, canonicalName } from '../../user/canonical.js';
import { credentialStream } from '../credential.js';
import { credentialDecider } from '../decider.js';
import { endAllSessions } from '../end-sessions.js';
import { hashPassword } from '../passwords/hashing.js';
import { setPasswordHash } from '../read-model.js';
import { invalidReset } from './invalid.js';
import { enqueueMailJob } from './jobs.js';
import { presentedSecret, secretMatches } from './secrets.js';
import { consumeReset, findResetTarget, type ResetTarget } from './store.js';

type ResetCommand = Static<typeof identityCommands.resetPassword.request>;

const UPDATED = 'Password updated successfully.';

/**
 * `POST /reset-password`: the policy first (a weak password costs no try), then the key or code
 * — a code only within its account's tries, counted before it is compared — then, in one
 * transaction, the reset is consumed (once: parallel uses find it gone), the hash replaced, and
 * the account's lockout lifted, and the owner's notice queued. Every session ends before the answer;
 * `queued` wakes the mail worker.
 */
export function resetPasswordHandler(app: Identity, queued: () => void) {
  const { svc } = app;
  return async (cmd: ResetCommand): Promise<{ message: string }> => {
    const presented = presentedSecret(cmd);
    const target = await findResetTarget(svc.store.db, cmd.login);
    app.policy.assertAcceptable(cmd.password, ownerOf(target, cmd.login));
    const userId = target?.user.ID;
    const meta = metaFrom(cmd.context, userId);
    const pass = presented.delivery === 'otp' ? await openGate(svc.store, [otpThrottle(userId, cmd.login)]) : undefined;
    const reset = target?.reset;
    const matches = reset !== undefined && secretMatches(app.pepper, reset, presented, Date.now(), 'reset');
    if (!matches || userId === undefined) {
      if (pass) await settleNow(svc.store, { scope: svc.scope, meta }, pass, 'failure');
      throw invalidReset();
    }
    const passwordHash = await app.passwordWork.run(undefined, () => hashPassword(cmd.password, app.config.bcryptCost));
    await retryOnConflict(svc.store, async (tx) => {
      if (!(await consumeReset(tx, userId, reset.requestId))) throw invalidReset();
      const at = Date.now();
      await decideInTransaction(tx, {
        scope: svc.scope,
        streamId: credentialStream(userId),
        decider: credentialDecider,
        command: { type: 'ResetPassword', userId, requestId: reset.requestId, at },
        meta,
      });
      await setPasswordHash(tx, userId, passwordHash, new Date(at));
      // Proving the mailbox is proof enough: the account's lockouts and wrong-code count end here.
      await liftAccountLocks(tx, userId, cmd.login);
      // Every session ends, and every device must log in again to be known.
      await forgetKnownDevices(tx, userId);
      await enqueueMailJob(tx, { id: randomUUID(), kind: 'password_reset', userId, meta });
    });
    queued();
    await endAllSessions(svc, userId, 'password_reset', cmd.context);
    return { message: UPDATED };
  };
}

/** An unknown login is held to the same policy, against what was typed, so the answer is the same. */
function ownerOf(target: ResetTarget | undefined, typed: string): { username: string; email: string } {
  if (target) return { username: target.user.user_login, email: target.user.user_email };
  return { username: canonicalName(typed), email: canonicalEmail(typed) };
}

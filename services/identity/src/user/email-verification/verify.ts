import type { identityCommands } from '@headlesskey/contracts';
import { DomainError, handleCommand, metaFrom, type Sql } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { presentedSecret, type StoredSecret, secretMatches } from '../../credential/reset/secrets.js';
import type { Identity } from '../../identity.js';
import { openGate, settleNow } from '../../sign-in/lockout/gate.js';
import { verifyThrottle } from '../../sign-in/lockout/throttles.js';
import { userDecider } from '../decider.js';
import { findByIdentifier } from '../read-model.js';
import { userStream } from '../user.js';

type VerifyCommand = Static<typeof identityCommands.verifyEmail.request>;

const VERIFIED = 'Email address confirmed.';
const invalid = () => new DomainError('headlesskey_invalid_verification');

/**
 * `POST /verify-email`: the key or code mailed to the user's current address — a code only within
 * its account's tries, counted before it is compared — proves the address: `user.email_verified`,
 * and the secret is used up. A bad, used or expired secret, one mailed to an address since changed,
 * and an unknown login all get the same answer.
 */
export function verifyEmailHandler(app: Identity) {
  const { svc } = app;
  return async (cmd: VerifyCommand): Promise<{ message: string }> => {
    const presented = presentedSecret(cmd);
    const found = await findByIdentifier(svc.store.db, cmd.login);
    const userId = found?.user.ID;
    const meta = metaFrom(cmd.context, userId);
    const pass = presented.delivery === 'otp' ? await openGate(svc.store, [verifyThrottle(userId, cmd.login)]) : undefined;
    const stored = userId === undefined ? undefined : await storedVerification(svc.store.db, userId);
    const matches =
      found !== undefined &&
      stored !== undefined &&
      stored.email === found.user.user_email &&
      secretMatches(app.pepper, stored, presented, Date.now(), 'verify');
    if (!matches || userId === undefined) {
      if (pass) await settleNow(svc.store, { scope: svc.scope, meta }, pass, 'failure');
      throw invalid();
    }
    await handleCommand({
      store: svc.store,
      scope: svc.scope,
      streamId: userStream(userId),
      decider: userDecider,
      command: { type: 'VerifyEmail' },
      meta,
      project: async (tx) => {
        // Used once: a parallel use of the same secret finds it gone.
        const used = await tx.execute('delete from email_verifications where user_id = ? and request_id = ? returning user_id', [
          userId,
          stored.requestId,
        ]);
        if (used.length === 0) throw invalid();
        await tx.execute('update users set email_verified = true where id = ?', [userId]);
      },
    });
    return { message: VERIFIED };
  };
}

async function storedVerification(db: Sql, userId: number): Promise<(StoredSecret & { email: string }) | undefined> {
  const [row] = await db.execute<{ request_id: string; delivery: 'link' | 'otp'; email: string; digest: string; expires_at: number }[]>(
    `select request_id, delivery, email, digest, (extract(epoch from expires_at) * 1000)::float8 as expires_at
     from email_verifications where user_id = ?`,
    [userId],
  );
  if (!row) return undefined;
  return {
    userId,
    requestId: row.request_id,
    delivery: row.delivery,
    email: row.email,
    digest: row.digest,
    expiresAt: Number(row.expires_at),
  };
}

import type { RequestContext } from '@headlesskey/contracts';
import { DomainError, metaFrom, type StoreScope } from '@headlesskey/platform';
import type { Identity } from '../identity.js';
import { openGate, type Pass, settleNow } from '../sign-in/lockout/gate.js';
import { signInStream, signInThrottles } from '../sign-in/lockout/throttles.js';
import type { UserWithCredential } from '../user/read-model.js';
import { verifyPassword } from './passwords/hashing.js';

/** A confirmed password: the attempt's pass, settled with the change it allows. */
export interface Confirmed {
  pass: Pass;
  ctx: { scope: StoreScope; meta: ReturnType<typeof metaFrom> };
}

/**
 * Asks a signed-in user's password again before what only they may do (a new password, deleting
 * their account). Checking it is an attempt like a login's: counted against the address and the
 * account from it first, once a bcrypt slot is free; the caller's session stands for a known
 * device, so the account-wide lock, which anyone can set off, never stops the owner. A wrong one
 * is recorded as a failed login (`via` says where) and refused with `headlesskey_incorrect_password`.
 */
export async function confirmPassword(
  app: Identity,
  found: UserWithCredential,
  password: string,
  context: RequestContext,
  deadline: number | undefined,
  via: 'change_password' | 'delete_account',
): Promise<Confirmed> {
  const { svc } = app;
  const { user } = found;
  const throttles = signInThrottles(svc.settings.current(), context.ip, { userId: user.ID, typed: user.user_login, knownDevice: true });
  const { pass, matched } = await app.passwordWork.run(deadline, async () => {
    const pass = await openGate(svc.store, throttles);
    return { pass, matched: await verifyPassword(password, found.passwordHash) };
  });
  const ctx = { scope: svc.scope, meta: metaFrom(context, user.ID) };
  if (!matched) {
    const failed = { type: 'auth.login.failed' as const, data: { user_id: user.ID, reason: 'invalid_credentials', via } };
    await settleNow(svc.store, ctx, pass, 'failure', [{ stream: signInStream(user.ID, user.user_login), events: [failed] }]);
    throw new DomainError('headlesskey_incorrect_password');
  }
  return { pass, ctx };
}

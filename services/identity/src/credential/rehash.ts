import type { RequestContext } from '@headlesskey/contracts';
import { appendAtEnd, metaFrom, type NewEvent, retryOnConflict } from '@headlesskey/platform';
import type { Identity } from '../identity.js';
import { credentialStream, type PasswordRehashed } from './credential.js';
import { hashPassword } from './passwords/hashing.js';
import { storedScheme } from './passwords/wordpress.js';

/**
 * Once a password has matched a hash imported from WordPress, replaces that hash with ours of the
 * same password and records `password.rehashed`: after the first login the WordPress hash is gone.
 * Hashing takes a bcrypt slot like any other (no deadline: the password is proven). The swap only
 * replaces the hash that was checked, so a concurrent login that upgraded it first, or a password
 * changed meanwhile, is left as it is and nothing is recorded twice. Nothing for our own hashes.
 */
export async function upgradeWordPressHash(
  app: Identity,
  userId: number,
  checked: string,
  password: string,
  context: RequestContext,
): Promise<void> {
  const from = storedScheme(checked);
  if (from === undefined) return;
  const { svc } = app;
  const fresh = await app.passwordWork.run(undefined, () => hashPassword(password, app.config.bcryptCost));
  const rehashed: NewEvent<'password.rehashed', PasswordRehashed> = { type: 'password.rehashed', data: { user_id: userId, from } };
  await retryOnConflict(svc.store, async (tx) => {
    const swapped = await tx.execute<unknown[]>(
      'update credentials set password_hash = ? where user_id = ? and password_hash = ? returning user_id',
      [fresh, userId, checked],
    );
    if (swapped.length === 0) return;
    await appendAtEnd(tx, svc.scope, credentialStream(userId), [rehashed], metaFrom(context, userId));
  });
}

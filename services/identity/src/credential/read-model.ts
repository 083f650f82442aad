import type { Role } from '@headlesskey/contracts';
import type { Sql } from '@headlesskey/platform';
import type { UserWithCredential } from '../user/read-model.js';

/** A user by id with the stored hash: the caller of `/change-password`. */
export async function findWithCredential(tx: Sql, userId: number): Promise<UserWithCredential | undefined> {
  const [row] = await tx.execute<
    { id: number; user_login: string; user_email: string; display_name: string; roles: Role[]; password_hash: string }[]
  >(
    `select u.id, u.user_login, u.user_email, u.display_name, u.roles, c.password_hash
     from users u join credentials c on c.user_id = u.id where u.id = ?`,
    [userId],
  );
  if (!row) return undefined;
  return {
    user: { ID: row.id, user_login: row.user_login, user_email: row.user_email, display_name: row.display_name, roles: row.roles },
    passwordHash: row.password_hash,
  };
}

/** Replaces the hash, in the transaction that records why: from now on the account has a password someone chose. */
export async function setPasswordHash(tx: Sql, userId: number, passwordHash: string, at: Date): Promise<void> {
  await tx.execute('update credentials set password_hash = ?, password_chosen = true, changed_at = ? where user_id = ?', [
    passwordHash,
    at,
    userId,
  ]);
}

import type { Sql } from '@headlesskey/platform';
import { CREDENTIAL_COLUMNS, type CredentialRow, type UserWithCredential, withCredential } from '../user/read-model.js';

/** A user by id with the stored hash: the caller of `/change-password`. */
export async function findWithCredential(tx: Sql, userId: number): Promise<UserWithCredential | undefined> {
  const [row] = await tx.execute<CredentialRow[]>(
    `select ${CREDENTIAL_COLUMNS} from users u join credentials c on c.user_id = u.id where u.id = ?`,
    [userId],
  );
  return row ? withCredential(row) : undefined;
}

/** Replaces the hash, in the transaction that records why: from now on the account has a password someone chose. */
export async function setPasswordHash(tx: Sql, userId: number, passwordHash: string, at: Date): Promise<void> {
  await tx.execute('update credentials set password_hash = ?, password_chosen = true, changed_at = ? where user_id = ?', [
    passwordHash,
    at,
    userId,
  ]);
}

import type { ResetDelivery, Role, UserView } from '@headlesskey/contracts';
import type { Sql } from '@headlesskey/platform';
import { identifierKey } from '../../user/canonical.js';

/** The one outstanding key or code of a user, as a digest (see `resetDigest`). */
export interface StoredReset {
  userId: number;
  requestId: string;
  delivery: ResetDelivery;
  digest: string;
  expiresAt: number;
}

/** Stores the digest of a new secret; the user's older one, if any, is overwritten and so void. */
export async function saveReset(tx: Sql, reset: StoredReset): Promise<void> {
  await tx.execute(
    `insert into password_resets (user_id, request_id, delivery, digest, expires_at) values (?, ?, ?, ?, to_timestamp(? / 1000.0))
     on conflict (user_id) do update set request_id = excluded.request_id, delivery = excluded.delivery,
       digest = excluded.digest, expires_at = excluded.expires_at`,
    [reset.userId, reset.requestId, reset.delivery, reset.digest, reset.expiresAt],
  );
}

export interface ResetTarget {
  user: UserView;
  reset?: StoredReset;
}

/** The user a reset names (by login or email, canonically) with their outstanding reset, in one query. */
export async function findResetTarget(tx: Sql, login: string): Promise<ResetTarget | undefined> {
  const [row] = await tx.execute<
    {
      id: number;
      user_login: string;
      user_email: string;
      display_name: string;
      roles: Role[];
      request_id: string | null;
      delivery: ResetDelivery | null;
      digest: string | null;
      expires_at: number | null;
    }[]
  >(
    `select u.id, u.user_login, u.user_email, u.display_name, u.roles, r.request_id, r.delivery, r.digest,
       (extract(epoch from r.expires_at) * 1000)::float8 as expires_at
     from user_identifiers i join users u on u.id = i.user_id left join password_resets r on r.user_id = u.id
     where i.key = ?`,
    [identifierKey(login)],
  );
  if (!row) return undefined;
  const user = { ID: row.id, user_login: row.user_login, user_email: row.user_email, display_name: row.display_name, roles: row.roles };
  if (row.request_id === null || row.delivery === null || row.digest === null || row.expires_at === null) return { user };
  return {
    user,
    reset: { userId: row.id, requestId: row.request_id, delivery: row.delivery, digest: row.digest, expiresAt: row.expires_at },
  };
}

/**
 * Takes the reset out of the table if it is still the one that was checked. Of parallel uses of
 * one key, the row lock lets exactly one delete it; the others find nothing.
 */
export async function consumeReset(tx: Sql, userId: number, requestId: string): Promise<boolean> {
  const rows = await tx.execute<{ user_id: number }[]>(
    'delete from password_resets where user_id = ? and request_id = ? and expires_at > now() returning user_id',
    [userId, requestId],
  );
  return rows.length === 1;
}

/** A changed password voids any outstanding reset. */
export async function voidReset(tx: Sql, userId: number): Promise<void> {
  await tx.execute('delete from password_resets where user_id = ?', [userId]);
}

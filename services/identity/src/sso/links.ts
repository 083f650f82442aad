import type { Role } from '@headlesskey/contracts';
import type { Sql } from '@headlesskey/platform';
import { identifierKey } from '../user/canonical.js';

export interface RemoteUserKey {
  siteKey: string;
  remoteSub: string;
}

/** Serialises the exchanges of one remote user, so two first exchanges make one account. */
export async function lockRemoteUser(tx: Sql, { siteKey, remoteSub }: RemoteUserKey): Promise<void> {
  await tx.execute("select pg_advisory_xact_lock(hashtext('sso-link'), hashtext(? || chr(10) || ?))", [siteKey, remoteSub]);
}

/** Drops the links of an earlier site that had the same key: its users are not this site's. */
export async function voidEarlierSite(tx: Sql, siteKey: string, siteId: string): Promise<void> {
  await tx.execute('delete from sso_links where site_key = ? and site_id <> ?', [siteKey, siteId]);
}

export async function linkedUserId(tx: Sql, { siteKey, remoteSub }: RemoteUserKey): Promise<number | undefined> {
  const [row] = await tx.execute<{ user_id: number }[]>('select user_id from sso_links where site_key = ? and remote_sub = ?', [
    siteKey,
    remoteSub,
  ]);
  return row?.user_id;
}

export async function insertLink(
  tx: Sql,
  link: RemoteUserKey & { siteId: string; userId: number; how: 'email' | 'provisioned' },
): Promise<void> {
  await tx.execute('insert into sso_links (site_key, remote_sub, site_id, user_id, how) values (?, ?, ?, ?, ?)', [
    link.siteKey,
    link.remoteSub,
    link.siteId,
    link.userId,
    link.how,
  ]);
}

/**
 * The account whose email this is, whether it already stands for a user of the site, and whether
 * someone chose its password.
 */
export async function emailOwner(tx: Sql, email: string, siteKey: string) {
  const [row] = await tx.execute<{ id: number; roles: Role[]; linked: boolean; password_chosen: boolean }[]>(
    `select u.id, u.roles, c.password_chosen,
       exists (select 1 from sso_links l where l.site_key = ? and l.user_id = u.id) as linked
     from user_identifiers i join users u on u.id = i.user_id join credentials c on c.user_id = u.id
     where i.key = ? and i.kind = 'email'`,
    [siteKey, identifierKey(email)],
  );
  return row && { id: row.id, roles: row.roles, linkedToSite: row.linked, hasPassword: row.password_chosen };
}

/** Whether a login or email is reserved, by anyone, as either. */
export async function identifierTaken(tx: Sql, value: string): Promise<boolean> {
  const rows = await tx.execute('select 1 from user_identifiers where key = ?', [identifierKey(value)]);
  return rows.length > 0;
}

/** The first of `candidates` nobody has reserved. */
export async function firstFreeLogin(tx: Sql, candidates: readonly string[]): Promise<string | undefined> {
  for (const login of candidates) {
    if (!(await identifierTaken(tx, login))) return login;
  }
  return undefined;
}

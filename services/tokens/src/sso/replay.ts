import type { Sql } from '@headlesskey/platform';

/** Past a token's `exp` (and the verifier's skew) it is refused anyway: its row may go. */
const KEEP_AFTER_EXPIRY_SECONDS = 60;

/**
 * Takes a remote `jti` for this exchange, inside the exchange's transaction: `false` when it was
 * exchanged before. A concurrent exchange of the same token waits on the row and then gets
 * `false` once the first commits, or takes it if the first rolled back.
 */
export async function claimJti(tx: Sql, siteKey: string, jti: string, expiresAt: number): Promise<boolean> {
  const rows = await tx.execute(
    'insert into sso_used_jtis (site_key, jti, expires_at) values (?, ?, to_timestamp(?)) on conflict do nothing returning 1',
    [siteKey, jti, expiresAt],
  );
  return rows.length > 0;
}

/** Whether a remote `jti` was exchanged already: a cheap early refusal, not the atomic claim. */
export async function jtiUsed(db: Sql, siteKey: string, jti: string): Promise<boolean> {
  const rows = await db.execute('select 1 from sso_used_jtis where site_key = ? and jti = ?', [siteKey, jti]);
  return rows.length > 0;
}

/** Forgets the ids of tokens that have expired. */
export async function sweepUsedJtis(tx: Sql): Promise<void> {
  await tx.execute("delete from sso_used_jtis where expires_at < now() - ? * interval '1 second'", [KEEP_AFTER_EXPIRY_SECONDS]);
}

import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '@headlesskey/platform';

/**
 * Known devices: a browser or app that logged in successfully holds a device secret, issued in
 * the login's answer, and presents it on its next logins. It proves the device is one the account
 * owner used before, and such a login passes the account-wide lock (see `lockout/throttles.ts`):
 * anyone can lock an account for strangers, nobody can lock its owner out of a device they use.
 *
 * Only a SHA-256 digest is stored: the secret is 256 random bits, so a digest without a key is
 * as good as a password hash here, and a stolen table gives no secret back. It never enters an
 * event, a log, a hook or a webhook.
 */

/** A device unused this long is forgotten: its next login counts as a new device's. */
export const KNOWN_DEVICE_TTL_DAYS = 90;
/** The most recently used devices kept per user; older ones are forgotten as new ones come. */
export const KNOWN_DEVICES_PER_USER = 50;

const digestOf = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Whether `secret` is a live device secret of this user. An unknown user has none: always false. */
export async function isKnownDevice(db: Sql, userId: number | undefined, secret: string | undefined): Promise<boolean> {
  if (!secret) return false;
  // Looked up for an unknown name too (user 0 has no rows), so both cost the same.
  const rows = await db.execute<{ one: number }[]>(
    `select 1 as one from known_devices
     where digest = ? and user_id = ? and last_used_at > now() - make_interval(days => ?)`,
    [digestOf(secret), userId ?? 0, KNOWN_DEVICE_TTL_DAYS],
  );
  return rows.length > 0;
}

/**
 * After a successful login: the presented secret when it proved a known device (its use is
 * recorded), else a new secret for this device, stored as its digest. The user's least recently
 * used devices past `KNOWN_DEVICES_PER_USER` are forgotten.
 */
export async function rememberDevice(db: Sql, userId: number, proven: string | undefined): Promise<string> {
  const secret = proven ?? randomBytes(32).toString('base64url');
  await db.execute(
    `with saved as (
       insert into known_devices (digest, user_id) values (?, ?)
       on conflict (digest) do update set last_used_at = now() where known_devices.user_id = excluded.user_id
       returning digest
     )
     delete from known_devices where user_id = ? and digest not in (select digest from saved) and digest not in (
       select digest from known_devices where user_id = ? order by last_used_at desc limit ?
     )`,
    [digestOf(secret), userId, userId, userId, KNOWN_DEVICES_PER_USER - 1],
  );
  return secret;
}

/** A changed or reset password ends every session, and forgets every device with them. */
export async function forgetKnownDevices(tx: Sql, userId: number): Promise<void> {
  await tx.execute('delete from known_devices where user_id = ?', [userId]);
}

/** Forgets devices unused past their lifetime. */
export async function sweepKnownDevices(db: Sql): Promise<number> {
  const rows = await db.execute<{ digest: string }[]>(
    'delete from known_devices where last_used_at < now() - make_interval(days => ?) returning digest',
    [KNOWN_DEVICE_TTL_DAYS],
  );
  return rows.length;
}

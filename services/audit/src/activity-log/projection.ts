import { erasePersonal } from '@headlesskey/contracts';
import { aboutUser, type Sql } from '@headlesskey/platform';
import type { ActivityEntry } from './entry.js';

/** Which table readers see (`live`), and which one a rebuild is filling, if any. */
export interface Versions {
  live: number;
  building: number | null;
}

/** Table names come from integers only, never from input. */
export function tableName(version: number): string {
  if (!Number.isInteger(version) || version < 1) throw new Error(`not a projection version: ${version}`);
  return `activity_log_v${version}`;
}

/** The tables a new entry goes to: the live one, and the one being rebuilt so it misses nothing. */
export function writeTargets(versions: Versions): string[] {
  const targets = [tableName(versions.live)];
  if (versions.building !== null && versions.building !== versions.live) targets.push(tableName(versions.building));
  return targets;
}

/**
 * Reads the version pointer. `share` (the projector) and `update` (a rebuild starting or
 * swapping) conflict, so once a rebuild has committed `building`, every later write sees it.
 */
export async function readVersions(tx: Sql, lock?: 'share' | 'update'): Promise<Versions> {
  const rows = await tx.execute<{ live: number; building: number | null }[]>(
    `select live, building from activity_log_versions${lock ? ` for ${lock}` : ''}`,
  );
  const row = rows[0];
  if (!row) throw new Error('activity_log_versions is empty');
  return { live: row.live, building: row.building };
}

const COLUMNS =
  'event_id uuid, occurred_at timestamptz, type text, user_id integer, login text, ip inet, user_agent text, browser text, os text, device_type text, outcome text, trace_id text, data jsonb';
const NAMES = COLUMNS.split(', ')
  .map((column) => column.split(' ')[0])
  .join(', ');

/** Writes entries once each (by event id), in one statement. */
export async function insertEntries(tx: Sql, table: string, entries: readonly ActivityEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    event_id: e.eventId,
    occurred_at: e.occurredAt,
    type: e.type,
    user_id: e.userId,
    login: e.login,
    ip: e.ip,
    user_agent: e.userAgent,
    browser: e.browser,
    os: e.os,
    device_type: e.deviceType,
    outcome: e.outcome,
    trace_id: e.traceId,
    data: e.data,
  }));
  await tx.execute(
    `insert into ${table} (${NAMES}) select ${NAMES} from jsonb_to_recordset(?::jsonb) as x(${COLUMNS}) on conflict (event_id) do nothing`,
    [JSON.stringify(rows)],
  );
}

/** Remembers the logins events name, for entries that carry only a user id. */
export async function rememberUsers(tx: Sql, entries: readonly ActivityEntry[]): Promise<void> {
  const users = entries.filter((e) => e.userId !== null && e.login !== null).map((e) => ({ user_id: e.userId, login: e.login }));
  if (users.length === 0) return;
  await tx.execute(
    `insert into audit_users (user_id, login) select user_id, login from jsonb_to_recordset(?::jsonb) as x(user_id integer, login text)
     on conflict (user_id) do nothing`,
    [JSON.stringify(users)],
  );
}

/**
 * Writes entries to every target table and remembers their users, in the caller's transaction. A
 * `user.deleted` among them erases the user from the log there and then (`eraseUserEntries`).
 */
export async function projectEntries(tx: Sql, entries: readonly ActivityEntry[]): Promise<void> {
  const versions = await readVersions(tx, 'share');
  const tables = writeTargets(versions);
  for (const table of tables) await insertEntries(tx, table, entries);
  await rememberUsers(tx, entries);
  await eraseDeletedUsers(tx, tables, entries);
}

/** For each `user.deleted` among the entries, erases the user from the tables (`eraseUserEntries`). */
export async function eraseDeletedUsers(tx: Sql, tables: readonly string[], entries: readonly ActivityEntry[]): Promise<void> {
  for (const deleted of entries.filter((e) => e.type === 'user.deleted' && e.userId !== null)) {
    await eraseUserEntries(tx, tables, deleted.userId as number);
  }
}

/**
 * Erases a deleted user from the log (README, Erasure): their entries, and those they made as an
 * administrator, keep their event, time, type and outcome, and lose the login, the address, the
 * agent and its device, and the personal fields of their data; the login the log remembered for
 * them goes too.
 */
export async function eraseUserEntries(tx: Sql, tables: readonly string[], userId: number): Promise<void> {
  for (const table of tables) {
    const about = aboutUser('data', undefined, userId);
    const rows = await tx.execute<{ event_id: string; data: Record<string, unknown> }[]>(
      `select event_id, data from ${table} where user_id = ? or ${about.sql}`,
      [userId, ...about.values],
    );
    for (const row of rows) {
      await tx.execute(
        `update ${table} set login = null, ip = null, user_agent = null, browser = null, os = null, device_type = 'unknown', data = ?::jsonb
         where event_id = ?`,
        [JSON.stringify(erasePersonal(row.data)), row.event_id],
      );
    }
  }
  await tx.execute('delete from audit_users where user_id = ?', [userId]);
}

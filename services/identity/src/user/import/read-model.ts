import { type AlsoWrite, type Database, fold, type Sql } from '@headlesskey/platform';
import { identifierKey } from '../canonical.js';
import { userDecider } from '../decider.js';
import type { UserEvent, UserState } from '../user.js';
import type { Candidate } from './candidate.js';

/** The keys (login, email) each candidate would reserve; one key when the login is the email. */
export function keysOf(c: Candidate): { key: string; kind: 'login' | 'email' }[] {
  const login = identifierKey(c.login);
  const email = c.email ? identifierKey(c.email) : undefined;
  return [{ key: login, kind: 'login' }, ...(email && email !== login ? [{ key: email, kind: 'email' as const }] : [])];
}

/**
 * The user streams of a batch, each's version and state, in one read (`readStreams` reads a stream
 * per round trip): a stream not there is absent at version 0.
 */
export async function readUserStreams(db: Sql, ids: readonly string[]): Promise<Map<string, { version: number; state: UserState }>> {
  const rows = await db.execute<{ stream_id: string; type: UserEvent['type']; data: UserEvent['data']; version: number }[]>(
    'select stream_id, type, data, version from events where stream_id = any(?::text[]) order by stream_id, version',
    [ids],
  );
  const events = new Map<string, UserEvent[]>();
  const versions = new Map<string, number>();
  for (const row of rows) {
    const stream = events.get(row.stream_id) ?? [];
    stream.push({ type: row.type, data: row.data } as UserEvent);
    events.set(row.stream_id, stream);
    versions.set(row.stream_id, row.version);
  }
  return new Map(ids.map((id) => [id, { version: versions.get(id) ?? 0, state: fold(userDecider, events.get(id) ?? []) }]));
}

/** Which user already holds each of these keys, in one read. */
export async function keyHolders(db: Sql, keys: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.execute<{ key: string; user_id: number }[]>(
    'select key, user_id from user_identifiers where key = any(?::text[])',
    [keys],
  );
  return new Map(rows.map((r) => [r.key, r.user_id]));
}

/**
 * The read model of the users imported, written in the statement that appends their events: the
 * users, their reserved keys and their credentials, each one insert of every row.
 */
export function importedRows(users: readonly Candidate[]): AlsoWrite[] {
  const rows = (items: readonly object[]) => [JSON.stringify(items)];
  return [
    {
      sql: `insert into users (id, user_login, user_email, display_name, roles, registered_at)
        select id, user_login, user_email, display_name, roles, registered_at
        from jsonb_to_recordset(?::jsonb) as x(id integer, user_login text, user_email text, display_name text, roles jsonb, registered_at timestamptz)`,
      params: rows(
        users.map((u) => ({
          id: u.id,
          user_login: u.login,
          user_email: u.email,
          display_name: u.displayName,
          roles: u.roles,
          registered_at: u.registeredAt,
        })),
      ),
    },
    {
      sql: `insert into user_identifiers (key, user_id, kind)
        select key, user_id, kind from jsonb_to_recordset(?::jsonb) as x(key text, user_id integer, kind text)`,
      params: rows(users.flatMap((u) => keysOf(u).map(({ key, kind }) => ({ key, user_id: u.id, kind })))),
    },
    {
      // A WordPress password is one its user chose; it came here now.
      sql: `insert into credentials (user_id, password_hash, password_chosen, changed_at)
        select user_id, password_hash, true, now() from jsonb_to_recordset(?::jsonb) as x(user_id integer, password_hash text)`,
      params: rows(users.map((u) => ({ user_id: u.id, password_hash: u.passwordHash }))),
    },
  ];
}

/**
 * Moves the id sequence past the highest imported id, so a registration after the import never
 * asks for an id an imported user holds; never back (batches run side by side take turns here).
 * Before the users are written: a registration that took such an id first holds it, and the
 * import of that id is refused.
 */
export async function reserveIds(db: Database, highest: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute("select pg_advisory_xact_lock(hashtext('user_ids'))");
    await tx.execute("select setval('user_ids', ?) from user_ids where not is_called or last_value < ?", [highest, highest]);
  });
}

import type { AlsoWrite, Sql } from '@headlesskey/platform';
import type { LiveSession } from './device-slots.js';
import type { SessionEvent, SessionState } from './session.js';

/** Keeps the `sessions` table in step with a session's events, in the same transaction. */
export async function projectSession(
  tx: Sql,
  events: readonly SessionEvent[],
  state: SessionState,
  ip: string,
  userAgent: string,
): Promise<void> {
  if (state.status === 'absent' || events.length === 0) return;
  const opened = events.some((e) => e.type === 'token.issued');
  if (opened) {
    await tx.execute(
      `insert into sessions (id, user_id, device, device_named, ip, user_agent, created_at, opened_at, last_seen_at, refresh_until, current_jti, status)
       values (?, ?, ?, ?, ?, ?, now(), now(), now(), to_timestamp(?), ?, 'active')
       on conflict (id) do update set ip = excluded.ip, user_agent = excluded.user_agent, last_seen_at = now(), opened_at = now(),
         refresh_until = excluded.refresh_until, current_jti = excluded.current_jti, status = 'active'`,
      [state.sessionId, state.userId, state.device, state.deviceNamed, ip, userAgent, state.refreshUntil, state.current.jti],
    );
    return;
  }
  const rotated = rotationsWrite([{ state, ip }]);
  if (rotated) await tx.execute(rotated.sql, rotated.params);
}

/**
 * The `sessions` rows of many rotated (or ended) sessions, kept in step by the statement that
 * appends their events. A session listed twice takes its last state.
 */
export function rotationsWrite(changes: readonly { state: SessionState; ip: string }[]): AlsoWrite | undefined {
  const rows = new Map<string, { id: string; jti: string; status: string; ip: string }>();
  for (const { state, ip } of changes) {
    if (state.status === 'absent') continue;
    rows.set(state.sessionId, { id: state.sessionId, jti: state.current.jti, status: state.status, ip });
  }
  if (rows.size === 0) return undefined;
  return {
    sql: `update sessions s set current_jti = r.jti, status = r.status, last_seen_at = now(), ip = r.ip
      from jsonb_to_recordset(?::jsonb) as r(id uuid, jti uuid, status text, ip text) where s.id = r.id`,
    // In one order for every batch, as their events are (see `decideMany`).
    params: [JSON.stringify([...rows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))],
  };
}

/**
 * The user's live sessions, locking the user's slots for the rest of the transaction so that
 * parallel logins past a device limit are decided one after another.
 */
export async function lockLiveSessions(tx: Sql, userId: number): Promise<LiveSession[]> {
  await lockUserSlots(tx, userId);
  const rows = await tx.execute<{ id: string; named_device: string | null; last_seen: number }[]>(
    `select id, case when device_named then device end as named_device, extract(epoch from last_seen_at)::float8 as last_seen
     from sessions where user_id = ? and status = 'active' and refresh_until > now()`,
    [userId],
  );
  return rows.map((r) => ({ id: r.id, namedDevice: r.named_device, lastSeen: Number(r.last_seen) }));
}

/**
 * Holds the user's session slots for the rest of the transaction: logins of the user, and a change
 * of whether the user may sign in, take turns on it.
 */
export async function lockUserSlots(tx: Sql, userId: number): Promise<void> {
  await tx.execute("select pg_advisory_xact_lock(hashtext('device-slots'), ?)", [userId]);
}

/** The user's live sessions; with `openedBefore`, only those logged into (first or again) before it. */
export async function activeSessionIds(tx: Sql, userId: number, openedBefore?: string): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select id from sessions where user_id = ? and status = 'active' and refresh_until > now()
     and (?::timestamptz is null or opened_at < ?::timestamptz)`,
    [userId, openedBefore ?? null, openedBefore ?? null],
  );
  return rows.map((r) => r.id);
}

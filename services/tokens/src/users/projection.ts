import { type EventEnvelope, UserView } from '@headlesskey/contracts';
import { ack, checker, type Outcome, poison, type Sql, type WritingService } from '@headlesskey/platform';
import { contextOf } from '../session/event-context.js';
import { eraseUser, isErased } from './erase.js';
import { endSessionsIfDisabled } from './standing.js';

/** The profile a `user.registered` or `user.imported` event states, or why it states none. */
function profileOf(event: EventEnvelope): UserView | string {
  const { user_id, user_login, user_email, display_name, roles } = event.data;
  const profile = { ID: user_id, user_login, user_email, display_name, roles };
  return checker(UserView).Check(profile) ? profile : `${event.type} without a user profile`;
}

/** What a later user event changes of the row, as SQL and its values; undefined for none. */
function changeOf(event: EventEnvelope): { set: string; values: unknown[] } | undefined {
  const { data } = event;
  switch (event.type) {
    case 'user.updated': {
      const patch = Object.fromEntries(['user_email', 'display_name'].filter((k) => typeof data[k] === 'string').map((k) => [k, data[k]]));
      return { set: 'profile = profile || ?::jsonb', values: [JSON.stringify(patch)] };
    }
    case 'user.roles_changed':
      return Array.isArray(data.roles)
        ? { set: "profile = jsonb_set(profile, '{roles}', ?::jsonb)", values: [JSON.stringify(data.roles)] }
        : undefined;
    case 'user.disabled':
      return { set: 'disabled = true', values: [] };
    case 'user.enabled':
      return { set: 'disabled = false', values: [] };
    default:
      return undefined;
  }
}

/**
 * Keeps the `users` table: the profile of every user identity registered, its roles and whether it
 * is disabled, so a refresh signs from this service's own store and validate knows the roles a user
 * holds now. Identity tells this service of each change before answering it (`syncUser`); these
 * events are the backstop when that word was lost: a disable seen here ends the user's sessions
 * too, and a deletion erases the user here as `eraseUser` does. Identity's user events come once
 * each and in order per user; one not newer (by stream version) than the row changes nothing.
 */
export function usersProjector(svc: WritingService) {
  const db = svc.store.db;
  return async (events: readonly EventEnvelope[]): Promise<Outcome[]> => {
    const rows: { id: number; version: number; profile: UserView }[] = [];
    const later: EventEnvelope[] = [];
    const outcomes = events.map((event): Outcome => {
      // An imported user (`user.imported`) states a profile as a registered one does.
      if (event.type !== 'user.registered' && event.type !== 'user.imported') {
        if (changeOf(event) || event.type === 'user.deleted') later.push(event);
        return ack;
      }
      const profile = profileOf(event);
      if (typeof profile === 'string') return poison(profile);
      rows.push({ id: profile.ID, version: event.version, profile });
      return ack;
    });
    if (rows.length > 0) {
      await db.execute(
        `insert into users (id, version, profile)
         select id, version, profile from jsonb_to_recordset(?::jsonb) as x(id integer, version integer, profile jsonb)
         on conflict (id) do update set version = excluded.version, profile = excluded.profile where users.version < excluded.version`,
        [JSON.stringify(latestPerUser(rows))],
      );
    }
    for (const event of later) await applyChange(svc, db, event);
    return outcomes;
  };
}

async function applyChange(svc: WritingService, db: Sql, event: EventEnvelope): Promise<void> {
  const change = changeOf(event);
  const userId = event.data.user_id;
  if (typeof userId !== 'number') return;
  // Identity asks for the erasure before it answers a deletion; this is the backstop when it could not.
  if (event.type === 'user.deleted') {
    if (!(await isErased(svc, userId))) await eraseUser(svc, userId, contextOf(event));
    return;
  }
  if (!change) return;
  await db.execute(`update users set ${change.set}, version = ? where id = ? and version < ?`, [
    ...change.values,
    event.version,
    userId,
    event.version,
  ]);
  if (event.type === 'user.disabled') await endSessionsIfDisabled(svc, userId, contextOf(event));
}

/** One row per user (an upsert may not touch a row twice): the highest version. */
function latestPerUser<R extends { id: number; version: number }>(rows: readonly R[]): R[] {
  const latest = new Map<number, R>();
  for (const row of rows) if ((latest.get(row.id)?.version ?? 0) < row.version) latest.set(row.id, row);
  return [...latest.values()];
}

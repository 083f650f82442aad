import { type EventEnvelope, UserView } from '@headlesskey/contracts';
import { ack, checker, type Outcome, poison, type Sql } from '@headlesskey/platform';

/** The profile a `user.registered` event states, or why it states none. */
function profileOf(event: EventEnvelope): UserView | string {
  const { user_id, user_login, user_email, display_name, roles } = event.data;
  const profile = { ID: user_id, user_login, user_email, display_name, roles };
  return checker(UserView).Check(profile) ? profile : 'user.registered without a user profile';
}

/**
 * Keeps the `users` table: the profile of every user identity registered, so a refresh signs
 * from this service's own store instead of asking identity each time. Identity's user events
 * come once each and in order per user; a replayed or older one (by stream version) changes
 * nothing. A user event this projection does not know is acked unread: only `user.registered`
 * exists, and a new one (a role change) must be folded here before identity raises it.
 */
export function usersProjector(db: Sql) {
  return async (events: readonly EventEnvelope[]): Promise<Outcome[]> => {
    const rows: { id: number; version: number; profile: UserView }[] = [];
    const outcomes = events.map((event): Outcome => {
      if (event.type !== 'user.registered') return ack;
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
    return outcomes;
  };
}

/** One row per user (an upsert may not touch a row twice): the highest version. */
function latestPerUser<R extends { id: number; version: number }>(rows: readonly R[]): R[] {
  const latest = new Map<number, R>();
  for (const row of rows) if ((latest.get(row.id)?.version ?? 0) < row.version) latest.set(row.id, row);
  return [...latest.values()];
}

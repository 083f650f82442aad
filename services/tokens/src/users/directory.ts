import { identityCommands, type UserView } from '@headlesskey/contracts';
import type { DomainError, Sql, WritingService } from '@headlesskey/platform';

/** A user's profile, or the error identity answered for it. */
export type UserLookup = UserView | { code: DomainError['code'] };

/** The projected profiles of these users (see projection.ts); a user not yet projected is left out. */
async function projectedUsers(db: Sql, ids: readonly number[]): Promise<Map<number, UserView>> {
  const rows = await db.execute<{ profile: UserView }[]>('select profile from users where id = any(?::int[])', [ids]);
  return new Map(rows.map((r) => [r.profile.ID, r.profile]));
}

/**
 * The users of a refresh: from this service's projection, and from identity for any it has not
 * projected yet (registered a moment ago, or a projection still catching up after a restart).
 */
export async function usersById(svc: WritingService, ids: readonly number[]): Promise<Map<number, UserLookup>> {
  const found: Map<number, UserLookup> = ids.length > 0 ? await projectedUsers(svc.store.db, ids) : new Map();
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length === 0) return found;
  const reply = await svc.client.send(identityCommands.getUsers, { user_ids: missing });
  if (!reply.ok) for (const id of missing) found.set(id, { code: reply.error.code });
  else for (const user of reply.data.users) found.set(user.ID, user);
  return found;
}

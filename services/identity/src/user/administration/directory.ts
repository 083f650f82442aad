import { type identityCommands, type ManagedUser, type Role, tokensCommands, type UserStatus } from '@headlesskey/contracts';
import { DomainError, decodeIdCursor, encodeIdCursor, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { accountKey, clientsOf } from '../../sign-in/lockout/keys.js';

type UsersQuery = Static<typeof identityCommands.UsersQuery>;
type ManagedUserDetail = Static<typeof identityCommands.ManagedUserDetail>;

const DEFAULT_PER_PAGE = 50;

interface UserRow {
  id: number;
  user_login: string;
  user_email: string;
  display_name: string;
  roles: Role[];
  status: UserStatus;
  email_verified: boolean;
  registered_at: Date;
  last_login_at: Date | null;
}

const COLUMNS = 'id, user_login, user_email, display_name, roles, status, email_verified, registered_at, last_login_at';

/** `GET /users`: newest first, filtered by a prefix of a name, a role and a status, paged by id. */
export function listUsersHandler(svc: WritingService) {
  return async (query: UsersQuery) => {
    const after = query.cursor === undefined ? undefined : decodeIdCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) {
      throw new DomainError('rest_invalid_param', undefined, { params: { cursor: 'cursor must be the next_cursor of an earlier page.' } });
    }
    const perPage = query.per_page === undefined ? DEFAULT_PER_PAGE : Number(query.per_page);
    const where: string[] = [];
    const values: unknown[] = [];
    if (query.search !== undefined) {
      // A prefix match on the lower-cased columns (their indexes), with LIKE's own characters taken literally.
      const prefix = `${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push('(lower(user_login) like ? or lower(user_email) like ? or lower(display_name) like ?)');
      values.push(prefix, prefix, prefix);
    }
    if (query.role !== undefined) {
      where.push('roles @> ?::jsonb');
      values.push(JSON.stringify([query.role]));
    }
    if (query.status !== undefined) {
      where.push('status = ?');
      values.push(query.status);
    }
    if (after !== undefined) {
      where.push('id < ?');
      values.push(after);
    }
    const rows = await svc.store.db.execute<UserRow[]>(
      `select ${COLUMNS} from users ${where.length > 0 ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`,
      [...values, perPage + 1],
    );
    const page = rows.slice(0, perPage);
    const last = page.at(-1);
    return {
      users: await managed(svc, page),
      next_cursor: rows.length > perPage && last ? encodeIdCursor(last.id) : null,
    };
  };
}

/** `GET /users/{id}`: the same view of one user, and until when a lockout holds them. */
export function getManagedUserHandler(svc: WritingService) {
  return async ({ user_id }: { user_id: number }): Promise<ManagedUserDetail> => {
    const [user] = await managedById(svc, [user_id]);
    if (!user) throw new DomainError('headlesskey_not_found', 'No such user.');
    const account = accountKey(user.ID, user.user_login);
    const [lock] = await svc.store.db.execute<{ until: Date | null }[]>(
      `select max(locked_until) as until from attempt_counters where (key = ? or key like ?) and locked_until > now()`,
      [account, `${clientsOf(account)}%`],
    );
    return { ...user, locked_until: lock?.until ? new Date(lock.until).toISOString() : null };
  };
}

/** The users of `ids` as an administrator sees them. */
export async function managedById(svc: WritingService, ids: readonly number[]): Promise<ManagedUser[]> {
  return managed(svc, await svc.store.db.execute<UserRow[]>(`select ${COLUMNS} from users where id = any(?::int[])`, [[...ids]]));
}

/** Rows with their live sessions, which the tokens service counts. */
async function managed(svc: WritingService, rows: readonly UserRow[]): Promise<ManagedUser[]> {
  if (rows.length === 0) return [];
  const activity = await svc.client.send(tokensCommands.userActivity, { user_ids: rows.map((r) => r.id) });
  if (!activity.ok) throw new DomainError(activity.error.code, activity.error.message, activity.error.details);
  const live = new Map(activity.data.users.map((u) => [u.user_id, u.live_sessions]));
  return rows.map((r) => ({
    ID: r.id,
    user_login: r.user_login,
    user_email: r.user_email,
    display_name: r.display_name,
    roles: r.roles,
    status: r.status,
    email_verified: r.email_verified,
    registered: new Date(r.registered_at).toISOString(),
    last_login: r.last_login_at ? new Date(r.last_login_at).toISOString() : null,
    live_sessions: live.get(r.id) ?? 0,
  }));
}

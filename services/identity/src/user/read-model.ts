import type { Role, UserView } from '@headlesskey/contracts';
import { DomainError, isUniqueViolation, type Sql } from '@headlesskey/platform';
import { identifierKey } from './canonical.js';
import type { UserState } from './user.js';

type RegisteredUser = Extract<UserState, { status: 'registered' }>;

export interface UserWithCredential {
  user: UserView;
  passwordHash: string;
  /** An administrator disabled the account: it cannot sign in. */
  disabled: boolean;
  /** The user proved their address (`POST /verify-email`). */
  emailVerified: boolean;
}

/** A new account's password: `chosen` unless it is the one nobody knows of a provisioned account. */
export interface NewCredential {
  passwordHash: string;
  chosen: boolean;
}

/**
 * Writes a new user, its reserved login and email keys and its credential, or refuses a taken key.
 * An account without an email (provisioned for a site whose tokens carry none) reserves its login only.
 */
export async function insertUser(tx: Sql, user: RegisteredUser, credential: NewCredential, at: Date): Promise<void> {
  await tx.execute('insert into users (id, user_login, user_email, display_name, roles, registered_at) values (?, ?, ?, ?, ?::jsonb, ?)', [
    user.id,
    user.login,
    user.email,
    user.displayName,
    JSON.stringify(user.roles),
    at,
  ]);
  try {
    const keys = [[identifierKey(user.login), 'login'], ...(user.email ? [[identifierKey(user.email), 'email']] : [])];
    await tx.execute(`insert into user_identifiers (key, user_id, kind) values ${keys.map(() => '(?, ?, ?)').join(', ')}`, [
      ...keys.flatMap(([key, kind]) => [key, user.id, kind]),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('headlesskey_user_exists');
    throw err;
  }
  await tx.execute('insert into credentials (user_id, password_hash, password_chosen, changed_at) values (?, ?, ?, ?)', [
    user.id,
    credential.passwordHash,
    credential.chosen,
    at,
  ]);
}

/** A user row joined with its credential, as the sign-in and password queries read it. */
export interface CredentialRow {
  id: number;
  user_login: string;
  user_email: string;
  display_name: string;
  roles: Role[];
  status: string;
  email_verified: boolean;
  password_hash: string;
}

/** What those queries select, from `users u` joined with `credentials c`. */
export const CREDENTIAL_COLUMNS = 'u.id, u.user_login, u.user_email, u.display_name, u.roles, u.status, u.email_verified, c.password_hash';

export function withCredential(row: CredentialRow): UserWithCredential {
  return {
    user: { ID: row.id, user_login: row.user_login, user_email: row.user_email, display_name: row.display_name, roles: row.roles },
    passwordHash: row.password_hash,
    disabled: row.status === 'disabled',
    emailVerified: row.email_verified,
  };
}

/** Finds a user by login or email (either spelling the user typed), with the stored hash. */
export async function findByIdentifier(tx: Sql, identifier: string): Promise<UserWithCredential | undefined> {
  const [row] = await tx.execute<CredentialRow[]>(
    `select ${CREDENTIAL_COLUMNS}
     from user_identifiers i join users u on u.id = i.user_id join credentials c on c.user_id = u.id
     where i.key = ?`,
    [identifierKey(identifier)],
  );
  return row ? withCredential(row) : undefined;
}

export async function findById(tx: Sql, id: number): Promise<UserView | undefined> {
  const [user] = await findByIds(tx, [id]);
  return user;
}

/** The users of `ids` that exist, in one read. */
export async function findByIds(tx: Sql, ids: readonly number[]): Promise<UserView[]> {
  const rows = await tx.execute<{ id: number; user_login: string; user_email: string; display_name: string; roles: Role[] }[]>(
    'select id, user_login, user_email, display_name, roles from users where id = any(?::int[])',
    [[...new Set(ids)]],
  );
  return rows.map((row) => ({
    ID: row.id,
    user_login: row.user_login,
    user_email: row.user_email,
    display_name: row.display_name,
    roles: row.roles,
  }));
}

/** Whether an administrator disabled the user. */
export async function isDisabled(tx: Sql, id: number): Promise<boolean> {
  const [row] = await tx.execute<{ status: string }[]>('select status from users where id = ?', [id]);
  return row?.status === 'disabled';
}

export async function hasAdministrator(tx: Sql): Promise<boolean> {
  const rows = await tx.execute(`select 1 from users where roles @> '["administrator"]'::jsonb limit 1`);
  return rows.length > 0;
}

export async function nextUserId(tx: Sql): Promise<number> {
  const [row] = await tx.execute<{ id: number }[]>("select nextval('user_ids')::int as id");
  if (!row) throw new Error('user id sequence returned nothing');
  return row.id;
}

export function toView(user: RegisteredUser): UserView {
  return { ID: user.id, user_login: user.login, user_email: user.email, display_name: user.displayName, roles: user.roles };
}

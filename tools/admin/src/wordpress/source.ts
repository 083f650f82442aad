import type { identityCommands } from '@headlesskey/contracts';
import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { rolesOf, siteRoles, WORDPRESS_ROLES } from './roles.js';

type WordPressUser = identityCommands.WordPressUser;

/** A table prefix as WordPress allows it: letters, digits and underscores (it is put into SQL). */
export const PREFIX = /^[A-Za-z0-9_]{1,64}$/;

export interface WordPressSource {
  /** How many users the site has. */
  count(): Promise<number>;
  /** The users after `afterId`, in ID order, at most `size` (keyset paging: memory stays flat). */
  page(afterId: number, size: number): Promise<WordPressUser[]>;
  close(): Promise<void>;
}

interface UserRow extends RowDataPacket {
  ID: number;
  user_login: string;
  user_email: string;
  display_name: string;
  user_pass: string;
  user_registered: string;
  capabilities: string | null;
}

/** Reads a WordPress site's users from its MySQL or MariaDB database (`mysql://user:pass@host:3306/db`). */
export async function openWordPress(url: string, prefix: string): Promise<WordPressSource> {
  // Dates as text: WordPress keeps them in UTC, and `0000-00-00` is no date.
  const db = await mysql.createConnection({ uri: url, dateStrings: true, supportBigNumbers: true, charset: 'utf8mb4' });
  try {
    const roles = siteRoles(await roleOption(db, prefix)) ?? new Set(WORDPRESS_ROLES);
    return {
      async count() {
        const [rows] = await db.query<RowDataPacket[]>(`select count(*) as n from \`${prefix}users\``);
        return Number(rows[0]?.n ?? 0);
      },
      async page(afterId, size) {
        const [rows] = await db.query<UserRow[]>(
          `select u.ID, u.user_login, u.user_email, u.display_name, u.user_pass, u.user_registered, m.meta_value as capabilities
           from \`${prefix}users\` u
           left join \`${prefix}usermeta\` m on m.user_id = u.ID and m.meta_key = ?
           where u.ID > ? order by u.ID, m.umeta_id limit ?`,
          [`${prefix}capabilities`, afterId, size],
        );
        return usersOf(rows, roles);
      },
      close: () => db.end(),
    };
  } catch (err) {
    await db.end();
    throw err;
  }
}

/** The site's role definitions, if its options table has them. */
async function roleOption(db: Connection, prefix: string): Promise<string | undefined> {
  try {
    const [rows] = await db.query<RowDataPacket[]>(`select option_value from \`${prefix}options\` where option_name = ?`, [
      `${prefix}user_roles`,
    ]);
    return rows[0]?.option_value ?? undefined;
  } catch {
    return undefined;
  }
}

/** One user per ID (a corrupt site may hold two capabilities rows: the first counts). */
function usersOf(rows: readonly UserRow[], roles: ReadonlySet<string>): WordPressUser[] {
  const users: WordPressUser[] = [];
  for (const row of rows) {
    if (users.at(-1)?.user_id === Number(row.ID)) continue;
    users.push({
      user_id: Number(row.ID),
      user_login: clip(row.user_login),
      user_email: clip(row.user_email),
      display_name: clip(row.display_name),
      roles: rolesOf(row.capabilities, roles),
      password_hash: clip(row.user_pass),
      registered_at: registeredAt(row.user_registered),
    });
  }
  return users;
}

/** WordPress's columns are shorter; a site that widened one still sends a valid batch (identity refuses the user). */
const clip = (value: unknown) => String(value ?? '').slice(0, 1024);

/** `user_registered` (UTC, `YYYY-MM-DD HH:MM:SS`) as ISO 8601; null for WordPress's zero date. */
function registeredAt(value: string | null): string | null {
  if (!value || value.startsWith('0000')) return null;
  const iso = `${value.replace(' ', 'T')}Z`;
  return Number.isFinite(Date.parse(iso)) ? iso : null;
}

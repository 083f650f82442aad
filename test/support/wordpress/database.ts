import { randomBytes } from 'node:crypto';
import mysql, { type Connection } from 'mysql2/promise';
import { serialize } from 'php-serialize';

/** The machine's MariaDB (root, no password), or `WORDPRESS_DB_URL`'s server. */
export const SERVER = process.env.WORDPRESS_DB_URL?.trim() || 'mysql://root@127.0.0.1:3306';

/** A row of `wp_users` and its `wp_capabilities` (as serialized by PHP; null for no row). */
export interface WordPressRow {
  id: number;
  login: string;
  email: string;
  displayName: string;
  pass: string;
  /** `YYYY-MM-DD HH:MM:SS` in UTC, or WordPress's zero date. */
  registered: string;
  capabilities: string | null;
}

/** `wp_capabilities` granting these roles, as WordPress writes it. */
export const capabilitiesOf = (roles: readonly string[]) => serialize(Object.fromEntries(roles.map((r) => [r, true])));

/**
 * The tables WordPress's own wp-admin/includes/schema.php creates for users and options (single
 * site, `wp_` prefix, utf8mb4 as WordPress sets it).
 */
const SCHEMA = [
  `CREATE TABLE wp_users (
    ID bigint(20) unsigned NOT NULL auto_increment,
    user_login varchar(60) NOT NULL default '',
    user_pass varchar(255) NOT NULL default '',
    user_nicename varchar(50) NOT NULL default '',
    user_email varchar(100) NOT NULL default '',
    user_url varchar(100) NOT NULL default '',
    user_registered datetime NOT NULL default '0000-00-00 00:00:00',
    user_activation_key varchar(255) NOT NULL default '',
    user_status int(11) NOT NULL default '0',
    display_name varchar(250) NOT NULL default '',
    PRIMARY KEY  (ID),
    KEY user_login_key (user_login),
    KEY user_nicename (user_nicename),
    KEY user_email (user_email)
  ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`,
  `CREATE TABLE wp_usermeta (
    umeta_id bigint(20) unsigned NOT NULL auto_increment,
    user_id bigint(20) unsigned NOT NULL default '0',
    meta_key varchar(255) default NULL,
    meta_value longtext,
    PRIMARY KEY  (umeta_id),
    KEY user_id (user_id),
    KEY meta_key (meta_key(191))
  ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`,
  `CREATE TABLE wp_options (
    option_id bigint(20) unsigned NOT NULL auto_increment,
    option_name varchar(191) NOT NULL default '',
    option_value longtext NOT NULL,
    autoload varchar(20) NOT NULL default 'yes',
    PRIMARY KEY  (option_id),
    UNIQUE KEY option_name (option_name),
    KEY autoload (autoload)
  ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`,
];

export interface WordPressDb {
  readonly name: string;
  /** What `--from` takes. */
  readonly url: string;
  readonly db: Connection;
  /** Writes users and their capabilities, many rows per INSERT. */
  insert(rows: readonly WordPressRow[]): Promise<void>;
  /** Drops the database. */
  drop(): Promise<void>;
}

/**
 * A WordPress database of its own (`hk_wp_<random>`) on the machine's MariaDB, with the site's
 * roles (WordPress's own and `customRoles`) in `wp_user_roles`.
 */
export async function createWordPressDb(customRoles: readonly string[] = []): Promise<WordPressDb> {
  const name = `hk_wp_${randomBytes(6).toString('hex')}`;
  const admin = await mysql.createConnection({ uri: SERVER, multipleStatements: false });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`);
  await admin.end();
  const url = `${SERVER.replace(/\/$/, '')}/${name}`;
  const db = await mysql.createConnection({ uri: url, charset: 'utf8mb4' });
  for (const statement of SCHEMA) await db.query(statement);
  const roles = ['administrator', 'editor', 'author', 'contributor', 'subscriber', ...customRoles];
  const userRoles = serialize(Object.fromEntries(roles.map((r) => [r, { name: r, capabilities: { read: true } }])));
  await db.query('INSERT INTO wp_options (option_name, option_value) VALUES (?, ?)', ['wp_user_roles', userRoles]);
  return {
    name,
    url,
    db,
    async insert(rows) {
      for (let i = 0; i < rows.length; i += 2000) {
        const chunk = rows.slice(i, i + 2000);
        await db.query(
          'INSERT INTO wp_users (ID, user_login, user_email, display_name, user_pass, user_registered, user_nicename) VALUES ?',
          [chunk.map((r) => [r.id, r.login, r.email, r.displayName, r.pass, r.registered, r.login.slice(0, 50)])],
        );
        const metas = chunk.filter((r) => r.capabilities !== null).map((r) => [r.id, 'wp_capabilities', r.capabilities]);
        if (metas.length > 0) await db.query('INSERT INTO wp_usermeta (user_id, meta_key, meta_value) VALUES ?', [metas]);
      }
    },
    async drop() {
      await db.end().catch(() => undefined);
      const dropper = await mysql.createConnection({ uri: SERVER });
      await dropper.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await dropper.end();
    },
  };
}

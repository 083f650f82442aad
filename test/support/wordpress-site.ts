import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@headlesskey/local';
import { eventually } from './users.js';
import { SERVER } from './wordpress/database.js';

const run = promisify(execFile);

/** Debian's `wordpress` package, run from a copy so its /etc/wordpress configuration is never read. */
const DEBIAN_WORDPRESS = '/usr/share/wordpress';
export const BRIDGE_DIR = fileURLToPath(new URL('../../packages/wordpress-bridge', import.meta.url));
/** The same server the import tests use (`WORDPRESS_DB_URL`); the bridge's site signs in without a password. */
const server = new URL(SERVER);
const MARIADB = { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username || 'root') };

export interface WordPress {
  /** `http://127.0.0.1:<port>`, the site's home. */
  url: string;
  database: string;
  /** Runs PHP inside the installed site (after wp-load.php); what it echoes is parsed as JSON. */
  php<T = unknown>(code: string): Promise<T>;
  /** WordPress's debug.log: every notice, warning and error PHP raised. */
  debugLog(): Promise<string>;
  /** Stops the server, drops the database and removes the copy. */
  stop(): Promise<void>;
}

/**
 * A real WordPress on the machine's MariaDB, served by `php -S` on a free loopback port, with the
 * bridge plugin (symlinked from the repo) active and pretty permalinks, so `/wp-json/` routes.
 */
export async function startWordPress(): Promise<WordPress> {
  const database = `hk_wpb_${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'hk-wpb-'));
  const root = join(dir, 'wordpress');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  let scripts = 0;
  const php = async <T>(code: string): Promise<T> => {
    const file = join(dir, `run-${++scripts}.php`);
    await writeFile(file, `<?php\nrequire ${JSON.stringify(join(root, 'wp-load.php'))};\n${code}\n`);
    const { stdout } = await run('php', [file], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as T;
  };
  const stop = async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      // The built-in server's workers share its process group.
      process.kill(-server.pid, 'SIGTERM');
      await exited;
    }
    await mariadb(`DROP DATABASE IF EXISTS \`${database}\``);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await mariadb(`CREATE DATABASE \`${database}\``);
    await run('cp', ['-a', DEBIAN_WORDPRESS, root]);
    await writeFile(join(root, 'wp-config.php'), wpConfig(database, url, join(dir, 'debug.log')));
    await symlink(BRIDGE_DIR, join(root, 'wp-content/plugins/headlesskey-bridge'));
    await writeFile(join(dir, 'install.php'), INSTALL.replace('WP_LOAD', JSON.stringify(join(root, 'wp-load.php'))));
    await run('php', [join(dir, 'install.php')], { cwd: dir });
    server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root], {
      cwd: root,
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, PHP_CLI_SERVER_WORKERS: '2' },
    });
    await eventually(async () => ((await fetch(`${url}/wp-json/`).catch(() => undefined))?.ok ? true : undefined), 20_000, 'php -S');
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, database, php, debugLog: () => readFile(join(dir, 'debug.log'), 'utf8').catch(() => ''), stop };
}

/** One statement at the machine's MariaDB, through PHP's mysqli as WordPress itself connects. */
async function mariadb(sql: string): Promise<void> {
  const code = `$m = new mysqli(${JSON.stringify(MARIADB.host)}, ${JSON.stringify(MARIADB.user)}, '', '', ${MARIADB.port}); $m->query(${JSON.stringify(sql)}) || exit(1);`;
  await run('php', ['-r', code]);
}

function wpConfig(database: string, url: string, debugLog: string): string {
  const salts = [
    'AUTH_KEY',
    'SECURE_AUTH_KEY',
    'LOGGED_IN_KEY',
    'NONCE_KEY',
    'AUTH_SALT',
    'SECURE_AUTH_SALT',
    'LOGGED_IN_SALT',
    'NONCE_SALT',
  ];
  const define = (name: string, value: string | boolean) => `define( '${name}', ${JSON.stringify(value)} );`;
  return [
    '<?php',
    define('DB_NAME', database),
    define('DB_USER', MARIADB.user),
    define('DB_PASSWORD', ''),
    define('DB_HOST', `${MARIADB.host}:${MARIADB.port}`),
    define('DB_CHARSET', 'utf8mb4'),
    define('DB_COLLATE', ''),
    ...salts.map((name) => define(name, randomBytes(32).toString('hex'))),
    define('WP_HOME', url),
    define('WP_SITEURL', url),
    define('WP_DEBUG', true),
    define('WP_DEBUG_LOG', debugLog),
    define('WP_DEBUG_DISPLAY', false),
    define('DISABLE_WP_CRON', true),
    "$table_prefix = 'wp_';",
    "defined( 'ABSPATH' ) || define( 'ABSPATH', __DIR__ . '/' );",
    "require_once ABSPATH . 'wp-settings.php';",
    '',
  ].join('\n');
}

/** Installs the site without a browser, as the installer's last step does, and activates the bridge. */
const INSTALL = `<?php
define( 'WP_INSTALLING', true );
// The machine has no mail transport: the "new site" mail is not sent.
function wp_new_blog_notification() {}
require WP_LOAD;
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
wp_install( 'Bridge test', 'admin', 'admin@example.com', true, '', wp_generate_password( 24 ) );
update_option( 'permalink_structure', '/%postname%/' );
flush_rewrite_rules( false );
$activated = activate_plugin( 'headlesskey-bridge/headlesskey-bridge.php' );
if ( is_wp_error( $activated ) ) {
	fwrite( STDERR, $activated->get_error_message() );
	exit( 1 );
}
`;

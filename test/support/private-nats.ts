import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answers, freePort } from '@headlesskey/local';
import { eventually } from './users.js';

/**
 * A JetStream server of one test's own (Debian's `nats-server`), in a temporary folder on a free
 * port: a test may take it away and bring it back without touching the server everyone shares.
 */
export interface PrivateNats {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops the server (SIGTERM, so what JetStream acknowledged is on disk) and keeps its store: `start()` brings it back. */
  halt(): Promise<void>;
  /** Starts it again on the same port and store; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. Idempotent. */
  stop(): Promise<void>;
}

export async function startPrivateNats(): Promise<PrivateNats> {
  const dir = await mkdtemp(join(tmpdir(), 'hk-nats-'));
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const launch = async () => {
    server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'js')], { stdio: 'ignore' });
    await eventually(async () => ((await answers(url)) ? true : undefined), 10_000, 'nats-server to accept connections');
  };
  const halt = async () => {
    const current = server;
    server = undefined;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGTERM');
    await exited;
  };
  let stopped = false;
  // A test that dies without its cleanup still leaves no server behind.
  const killNow = () => server?.kill('SIGKILL');
  process.once('exit', killNow);
  await launch();
  return {
    url,
    halt,
    start: launch,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      process.off('exit', killNow);
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { join } from 'node:path';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL } from '@headlesskey/platform';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startNatsServer } from './nats-server.js';
import { answers } from './ports.js';
import { REPO_ROOT } from './repo.js';
import type { StartedServer } from './started-server.js';

export interface Backends {
  natsUrl: string;
  databaseUrl: string;
  /** What this call started, e.g. `nats-server at nats://127.0.0.1:23456`; empty when it found both. */
  started: string[];
  /** Stops what this call started, nothing else. */
  stop(): Promise<void>;
}

export interface ResolveBackendsOptions {
  env?: Record<string, string | undefined>;
  /** Where started servers keep their data; default `<repo>/.data`. */
  dataDir?: string;
}

/**
 * Finds NATS and PostgreSQL for `npm start`: `NATS_URL` / `DATABASE_URL` when set, else the
 * default local ports when something answers there, else servers it starts: `nats-server` from
 * PATH with JetStream (a `MissingProgramError` when there is none) and embedded PostgreSQL.
 */
export async function resolveBackends(opts: ResolveBackendsOptions = {}): Promise<Backends> {
  const env = opts.env ?? process.env;
  const dataDir = opts.dataDir ?? join(REPO_ROOT, '.data');
  const servers: StartedServer[] = [];
  const stop = async () => {
    for (const server of servers.splice(0).reverse()) await server.stop();
  };
  try {
    // NATS first: when nats-server is missing, PostgreSQL has not been started for nothing.
    const natsUrl = await find(env.NATS_URL, DEFAULT_NATS_URL, () => startNatsServer(join(dataDir, 'nats')), servers);
    const databaseUrl = await find(env.DATABASE_URL, DEFAULT_DATABASE_URL, () => startEmbeddedPostgres(join(dataDir, 'postgres')), servers);
    return { natsUrl, databaseUrl, started: servers.map((server) => `${server.name} at ${server.url}`), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function find(
  configured: string | undefined,
  fallback: string,
  start: () => Promise<StartedServer>,
  servers: StartedServer[],
): Promise<string> {
  if (configured?.trim()) return configured.trim();
  if (await answers(fallback)) return fallback;
  const server = await start();
  servers.push(server);
  return server.url;
}

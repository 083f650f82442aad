import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Names } from '@headlesskey/contracts';
import { freePort, type RunningSystem, startSystem } from '@headlesskey/local';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { dropInstance, uniqueInstance } from '../support/instance.js';
import { BENCH_ADMIN_ENV } from './event-latency.js';
import { type BenchSettings, redact } from './settings.js';

export interface BenchStack {
  readonly names: Names;
  readonly system: RunningSystem;
  /** Stops every service, then drops the instance's databases, stream and bucket. Idempotent. */
  stop(): Promise<void>;
}

/** Inherited, these would change what is measured: sampling and span export are set by the service defaults. */
const TELEMETRY_OVERRIDES = [
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_SDK_DISABLED',
];

/**
 * The whole system on a fresh `bench…` instance of the given PostgreSQL and NATS, at the
 * services' default telemetry sampling. `started` learns the stack before it is ready, so an
 * interrupted start can still be cleaned up.
 */
export async function startBenchStack(settings: BenchSettings, started: (stop: () => Promise<void>) => void): Promise<BenchStack> {
  await checkBackends(settings);
  for (const name of TELEMETRY_OVERRIDES) delete process.env[name];
  // dropInstance (shared with the black-box tests) reads the backends from the environment.
  process.env.DATABASE_URL = settings.databaseUrl;
  process.env.NATS_URL = settings.natsUrl;
  const names = uniqueInstance('bench');
  let stopping: Promise<void> | undefined;
  const starting = startSystem({
    instance: names.instance,
    port: await freePort(),
    natsUrl: settings.natsUrl,
    databaseUrl: settings.databaseUrl,
    env: serviceEnv(settings),
    stdio: 'pipe',
  });
  const stop = () => {
    // A start in progress finishes (or fails and stops its processes) before anything is dropped.
    stopping ??= starting.then(stopSystem, () => undefined).then(() => dropInstance(names));
    return stopping;
  };
  started(stop);
  try {
    return { names, system: await starting, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const stopSystem = (system: RunningSystem) => system.stop();

function serviceEnv(settings: BenchSettings): Record<string, string> {
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    HEADLESSKEY_BCRYPT_COST: String(settings.bcryptCost),
    // The login runs stand for many clients behind a proxy (see `fromClient` in scenarios.ts).
    HEADLESSKEY_TRUSTED_PROXIES: '127.0.0.1',
    // The fixtures register users by the hundred from one address.
    HEADLESSKEY_RATE_LIMIT: '0',
    ...BENCH_ADMIN_ENV,
  };
  if (settings.cpuProfileDir) {
    mkdirSync(settings.cpuProfileDir, { recursive: true });
    env.BENCH_CPU_PROF = settings.cpuProfileDir;
    env.NODE_OPTIONS = `--import ${fileURLToPath(new URL('./cpu-profile.mjs', import.meta.url))}`;
  }
  return env;
}

/** Fails in a second with what to do, rather than after the readiness timeout. */
async function checkBackends(settings: BenchSettings): Promise<void> {
  const db = new pg.Client({ connectionString: settings.databaseUrl, connectionTimeoutMillis: 2000 });
  try {
    await db.connect();
    await db.query('select 1');
  } catch (err) {
    throw new Error(`PostgreSQL at ${redact(settings.databaseUrl)} does not answer (${(err as Error).message}); set DATABASE_URL`);
  } finally {
    await db.end().catch(() => undefined);
  }
  try {
    const nc = await connect({ servers: settings.natsUrl.split(','), timeout: 2000 });
    await nc.close();
  } catch (err) {
    throw new Error(`NATS at ${redact(settings.natsUrl)} does not answer (${(err as Error).message}); set NATS_URL`);
  }
}

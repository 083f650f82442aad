import { resolve } from 'node:path';

type Env = Record<string, string | undefined>;

export interface BenchSettings {
  /** Measured seconds of every run. */
  seconds: number;
  /** Seconds of load before each run, not measured. */
  warmupSeconds: number;
  bcryptCost: number;
  /** Connection counts every HTTP figure is taken at. */
  connections: readonly number[];
  databaseUrl: string;
  natsUrl: string;
  /** Where services write CPU profiles (see cpu-profile.mjs); unset: no profiling. */
  cpuProfileDir: string | undefined;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** `BENCH_SECONDS`, `BENCH_WARMUP_SECONDS`, `BENCH_BCRYPT_COST`, `BENCH_CPU_PROF`, `DATABASE_URL`, `NATS_URL`. */
export function readBenchSettings(env: Env = process.env): BenchSettings {
  const seconds = whole(env, 'BENCH_SECONDS', 10, 1, 3600);
  return {
    seconds,
    warmupSeconds: whole(env, 'BENCH_WARMUP_SECONDS', Math.min(2, seconds), 0, 600),
    // What the identity service runs at unless told otherwise (HEADLESSKEY_BCRYPT_COST), so the
    // login figures are those of a default deployment; it takes 4 to 16.
    bcryptCost: whole(env, 'BENCH_BCRYPT_COST', 12, 4, 16),
    connections: [1, 50],
    databaseUrl: loopback(env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL, 'DATABASE_URL'),
    natsUrl: loopback(env.NATS_URL?.trim() || DEFAULT_NATS_URL, 'NATS_URL'),
    cpuProfileDir: env.BENCH_CPU_PROF?.trim() ? resolve(env.BENCH_CPU_PROF.trim()) : undefined,
  };
}

function whole(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name}: expected a whole number ${min}–${max}, got "${raw}"`);
  return value;
}

/** The benchmark loads only this machine: a backend elsewhere would measure the network. */
function loopback(urls: string, name: string): string {
  for (const url of urls.split(',')) {
    const host = new URL(url.trim()).hostname;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host))
      throw new Error(`${name}: the benchmark runs on this machine only, got ${host}`);
  }
  return urls;
}

/** Credentials never reach the terminal or the report. */
export function redact(urls: string): string {
  return urls
    .split(',')
    .map((raw) => {
      const url = new URL(raw.trim());
      url.password = '';
      return url.toString();
    })
    .join(',');
}

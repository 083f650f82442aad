import { randomBytes } from 'node:crypto';
import { freePort } from '@headlesskey/local';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import type { BcryptResult } from './bcrypt-baseline.js';
import { startChild } from './children.js';
import { jsonPost, type Measurement, measure } from './load.js';
import type { BenchSettings } from './settings.js';

export interface BcryptBaseline extends BcryptResult {
  /** Compares per second. */
  rps: number;
  concurrency: number;
  threadpool: number;
}

export interface Baselines {
  bare: Measurement[];
  jose: Measurement[];
  bcrypt: BcryptBaseline;
}

/** libuv's default unless the environment (which the services inherit too) says otherwise. */
export const THREADPOOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE) || 4;

/**
 * The same machine's ceilings, each in its own process: a bare Fastify route, a Fastify route
 * verifying `token` (a token of the stack re-signed with a secret of our own) with jose, and
 * bcrypt alone.
 */
export async function runBaselines(settings: BenchSettings, stackToken: string): Promise<Baselines> {
  const secret = randomBytes(32).toString('base64url');
  const token = await resign(stackToken, secret);
  const claims = decodeJwt(token);
  const bare = await serverBaseline(settings, { BENCH_KIND: 'bare', BENCH_PATH: '/bare' }, token);
  const jose = await serverBaseline(
    settings,
    {
      BENCH_KIND: 'jose',
      BENCH_PATH: '/verify',
      BENCH_JWT_SECRET: secret,
      BENCH_JWT_ISSUER: String(claims.iss),
      BENCH_JWT_AUDIENCE: String(claims.aud),
    },
    token,
  );
  return { bare, jose, bcrypt: await bcryptBaseline(settings) };
}

/** The same header (kid included) and claims, signed HS256 with `secret`. */
async function resign(token: string, secret: string): Promise<string> {
  const { typ, kid } = decodeProtectedHeader(token);
  return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'HS256', typ, kid }).sign(new TextEncoder().encode(secret));
}

async function serverBaseline(settings: BenchSettings, env: Record<string, string>, token: string): Promise<Measurement[]> {
  const port = await freePort();
  const child = startChild<{ ready: true }>('./baseline-server.ts', { ...env, BENCH_PORT: String(port) });
  try {
    await child.message;
    const origin = `http://127.0.0.1:${port}`;
    const results: Measurement[] = [];
    for (const connections of settings.connections) {
      const request = jsonPost(env.BENCH_PATH!, { token });
      const target = { label: env.BENCH_KIND!, origin, connections, requests: () => () => [request] };
      results.push(await measure(target, settings.seconds, settings.warmupSeconds));
    }
    return results;
  } finally {
    await child.stop();
  }
}

async function bcryptBaseline(settings: BenchSettings): Promise<BcryptBaseline> {
  const concurrency = 2 * THREADPOOL_SIZE;
  const child = startChild<BcryptResult>('./bcrypt-baseline.ts', {
    BENCH_BCRYPT_COST: String(settings.bcryptCost),
    BENCH_SECONDS: String(settings.seconds),
    BENCH_WARMUP_SECONDS: String(settings.warmupSeconds),
    BENCH_CONCURRENCY: String(concurrency),
  });
  try {
    process.stdout.write(`  bcrypt cost ${settings.bcryptCost}, ${concurrency} in flight \u2026 `);
    const result = await child.message;
    process.stdout.write(`${(result.compares / result.seconds).toFixed(1)} compares/s, p50 ${result.p50.toFixed(1)} ms\n`);
    return { ...result, rps: result.compares / result.seconds, concurrency, threadpool: THREADPOOL_SIZE };
  } finally {
    await child.stop();
  }
}

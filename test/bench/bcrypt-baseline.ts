/**
 * Raw `bcrypt.compare` throughput in a process of its own: the work of one login in identity
 * (the same SHA-384 pre-hash, then bcrypt at the same cost), `BENCH_CONCURRENCY` at a time so
 * the libuv threadpool never idles, through the warm-up and the measured seconds.
 * Environment: BENCH_BCRYPT_COST, BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONCURRENCY.
 * Reports a `BcryptResult` over IPC.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcrypt';
import { exitWithParent } from './children.js';

export interface BcryptResult {
  compares: number;
  seconds: number;
  /** Milliseconds per compare, queueing for a thread included. */
  p50: number;
  p99: number;
  /** Compares that did not match: any is a broken baseline. */
  failures: number;
}

const PASSWORD = 'correct horse battery staple';

/** As identity's `credential/passwords/hashing.ts` (not exported across workspaces). */
const prehash = (password: string) => createHash('sha384').update(password.normalize('NFKC'), 'utf8').digest('base64');

/**
 * Keeps `concurrency` compares in flight for the warm-up and the measured seconds, and counts
 * those that end in the measured window, as the stack's runs are counted.
 */
async function compareFor(warmupSeconds: number, seconds: number, hash: string, concurrency: number): Promise<BcryptResult> {
  const times: number[] = [];
  let failures = 0;
  const windowStart = performance.now() + warmupSeconds * 1000;
  const windowEnd = windowStart + seconds * 1000;
  const worker = async () => {
    while (performance.now() < windowEnd) {
      const t = performance.now();
      if (!(await bcrypt.compare(prehash(PASSWORD), hash))) failures++;
      const ended = performance.now();
      if (ended >= windowStart && ended < windowEnd) times.push(ended - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.max(0, Math.ceil((p / 100) * times.length) - 1)] ?? Number.NaN;
  return { compares: times.length, seconds, p50: at(50), p99: at(99), failures };
}

exitWithParent();
const cost = Number(process.env.BENCH_BCRYPT_COST);
const concurrency = Number(process.env.BENCH_CONCURRENCY);
const hash = await bcrypt.hash(prehash(PASSWORD), cost);
process.send?.(await compareFor(Number(process.env.BENCH_WARMUP_SECONDS), Number(process.env.BENCH_SECONDS), hash, concurrency));

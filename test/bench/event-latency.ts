import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Names } from '@headlesskey/contracts';
import type { RunningSystem } from '@headlesskey/local';
import pg from 'pg';
import { post } from './fixtures.js';

/** The administrator the bench stack creates at start, to register its webhook endpoint. */
export const BENCH_ADMIN = { username: 'bench_admin', email: 'bench_admin@example.com', password: 'bench administrator passphrase' };
export const BENCH_ADMIN_ENV: Record<string, string> = {
  HEADLESSKEY_ADMIN_LOGIN: BENCH_ADMIN.username,
  HEADLESSKEY_ADMIN_EMAIL: BENCH_ADMIN.email,
  HEADLESSKEY_ADMIN_PASSWORD: BENCH_ADMIN.password,
  // The receiver below listens on loopback.
  HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE: 'true',
};

export interface Latency {
  samples: number;
  p50: number;
  p99: number;
}

export interface EventLatencies {
  toLog: Latency;
  toWebhook: Latency;
}

const EVENT = 'auth.login.succeeded';

/**
 * Measures, over the logins of the login runs, how long a login's event takes from the moment
 * identity recorded it to
 * - its activity-log entry (the entry's `projected_at` minus the event's time): outbox relay,
 *   JetStream, the audit consumer and its transaction;
 * - a webhook receiver (arrival minus the payload's `timestamp`): the same, then the dispatcher's
 *   consumer and worker and the signed POST. Only that event type is subscribed, so the other runs
 *   are not loaded with deliveries.
 */
export async function watchLoginEvents(system: RunningSystem, names: Names, databaseUrl: string) {
  const arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; timestamp: string };
      if (body.type === EVENT) arrivals.push(Date.now() - Date.parse(body.timestamp));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { token } = await post<{ token: string }>(
    system.apiUrl,
    '/token',
    { username: BENCH_ADMIN.username, password: BENCH_ADMIN.password },
    200,
  );
  const created = await fetch(`${system.apiUrl}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook`, events: [EVENT] }),
  });
  if (created.status !== 201) throw new Error(`creating the bench webhook answered ${created.status}`);
  return {
    /** Waits for the deliveries to settle, then reads both latencies. */
    async measure(): Promise<EventLatencies> {
      await settle(() => arrivals.length);
      server.close();
      return { toLog: await logLags(names, databaseUrl), toWebhook: percentiles(arrivals) };
    },
  };
}

/** Every login entry's lag in ms, read from the audit service's own database. */
async function logLags(names: Names, databaseUrl: string): Promise<Latency> {
  const url = new URL(databaseUrl);
  url.pathname = `/${names.database('audit')}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const { rows } = await db.query<{ lag: number }>(
      'select extract(epoch from projected_at - occurred_at) * 1000 as lag from activity_log where type = $1',
      [EVENT],
    );
    return percentiles(rows.map((r) => Number(r.lag)));
  } finally {
    await db.end();
  }
}

/** Waits until `count` has not moved for two seconds (at most a minute). */
async function settle(count: () => number): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = -1;
  while (count() !== last && Date.now() < deadline) {
    last = count();
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function percentiles(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { samples: sorted.length, p50: at(0.5), p99: at(0.99) };
}

/** The p99 each path must stay within under the login load. */
export const LATENCY_TARGETS_MS = { toLog: 50, toWebhook: 100 } as const;

const PATHS = [
  { key: 'toLog', what: 'event \u2192 activity-log entry (projected)' },
  { key: 'toWebhook', what: 'event \u2192 webhook receiver (signed POST arrived)' },
] as const;

const meets = (x: Latency, target: number) => (x.samples > 0 && x.p99 <= target ? 'PASS' : 'MISS');

/** One console line per path, its p99 beside its target. */
export function latencyTargets(l: EventLatencies): string[] {
  return PATHS.map(({ key, what }) => {
    const x = l[key];
    const target = LATENCY_TARGETS_MS[key];
    return `${meets(x, target)}  ${what}: ${x.samples} events, p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms (target p99 \u2264 ${target} ms)`;
  });
}

export function latencySection(l: EventLatencies): string {
  const row = ({ key, what }: (typeof PATHS)[number]) => {
    const x = l[key];
    const target = LATENCY_TARGETS_MS[key];
    return `| ${what} | ${x.samples} | ${x.p50.toFixed(1)} | ${x.p99.toFixed(1)} | \u2264 ${target} ms | ${meets(x, target)} |`;
  };
  return [
    '',
    '## Event latency under the login load',
    '',
    `Every \`${EVENT}\` event of the login runs, from the moment identity recorded it.`,
    '',
    '| path | events | p50 ms | p99 ms | target p99 |  |',
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...PATHS.map(row),
    '',
  ].join('\n');
}

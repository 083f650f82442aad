import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminToken,
  call,
  createEndpoint,
  DISPATCHER_ENV,
  deliveriesOf,
  envelope,
  publishEvent,
  rawBus,
  type WpError,
} from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser, PASSWORD, registerAndLogin } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

type Counts = { succeeded: number; failed: number; lockouts: number; ip_blocks: number };
type Stats = { range: string; hours: (Counts & { hour: string })[]; totals: Counts };
type Entry = { occurred_at: string; event: string };

const HOUR = 3_600_000;
const COUNTED: Record<string, keyof Counts> = {
  'auth.login.succeeded': 'succeeded',
  'auth.login.failed': 'failed',
  'auth.account.locked': 'lockouts',
  'auth.ip.blocked': 'ip_blocks',
};
/** The start of the UTC hour `ms` falls in, as the API writes it. */
const hourOf = (ms: number) => `${new Date(Math.floor(ms / HOUR) * HOUR).toISOString().slice(0, 13)}:00:00Z`;

/** The overview's figures through the whole system: sign-ins per hour, live sessions, webhook health. */
describe('overview figures', () => {
  let system: TestSystem;
  let admin: string;
  let nc: NatsConnection;
  const receivers: Receiver[] = [];

  const stats = async <T>(path: string, token = admin) => {
    const reply = await call<T & WpError>(system, token, 'GET', path);
    if (reply.status !== 200) throw new Error(`GET ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body as T;
  };
  const login = (username: string, password: string) => system.post<{ token: string; code: string }>('/token', { username, password });

  beforeAll(async () => {
    // Three attempts a delivery, quickly, so a failing endpoint's deliveries are given up on soon.
    system = await startTestSystem({ env: { ...DISPATCHER_ENV, HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE: '0.05,0.1' } });
    admin = await adminToken(system);
    nc = await rawBus();
  });
  afterAll(async () => {
    await Promise.allSettled([nc?.close(), ...receivers.map((r) => r.close())]);
    await system?.stop();
  });

  it('counts sign-ins, lockouts and IP blocks per hour, every hour of the range present', async () => {
    const ada = await registerAndLogin(system);
    expect((await login(ada.username, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(ada.username, 'not the password')).body.code).toBe('headlesskey_invalid_credentials');
    expect((await login(ada.username, PASSWORD)).body.code).toBe('headlesskey_account_locked');
    // Older events, as identity would have raised them: one 3 hours ago, two beyond the last day.
    const now = Date.now();
    const at = (ago: number) => ({ occurredAt: new Date(now - ago).toISOString() });
    await publishEvent(nc, system.names, envelope('auth.login.failed', { user_id: null, reason: 'invalid_credentials' }, at(3 * HOUR)));
    await publishEvent(nc, system.names, envelope('auth.login.succeeded', { user_id: ada.id, user_login: ada.username }, at(30 * HOUR)));
    await publishEvent(nc, system.names, envelope('auth.ip.blocked', { ip: '203.0.113.0', block_seconds: 900 }, at(50 * HOUR)));

    // The administrator's login and ada's two; ada's five failures, the lock they caused and the
    // failure of 3 hours ago. The week adds the older success and IP block.
    const lastDay = { succeeded: 3, failed: 6, lockouts: 1, ip_blocks: 0 };
    const week = { succeeded: 4, failed: 6, lockouts: 1, ip_blocks: 1 };
    const before = Date.now();
    const day = await eventually(async () => {
      const s = await stats<Stats>('/logs/stats');
      return s.totals.succeeded + s.totals.failed + s.totals.lockouts >= 10 ? s : undefined;
    });
    expect(day.range).toBe('24h');
    expect(day.totals).toEqual(lastDay);
    const seven = await eventually(async () => {
      const s = await stats<Stats>('/logs/stats?range=7d');
      return s.totals.ip_blocks > 0 ? s : undefined;
    });
    expect(seven).toMatchObject({ range: '7d', totals: week });
    const after = Date.now();

    for (const [range, hours] of [
      [day, 24],
      [seven, 168],
    ] as const) {
      expect(range.hours).toHaveLength(hours);
      // Consecutive hours, the current one last.
      expect([hourOf(before), hourOf(after)]).toContain(range.hours.at(-1)!.hour);
      const starts = range.hours.map((h) => Date.parse(h.hour));
      expect(starts.slice(1).map((start, i) => start - starts[i]!)).toEqual(Array(hours - 1).fill(HOUR));
    }
    // Each event in the hour the log says it occurred in; every other hour zero.
    const log = await stats<{ entries: Entry[] }>(`/logs?per_page=100&event=${Object.keys(COUNTED).join(',')}`);
    const expected = new Map<string, Counts>();
    for (const entry of log.entries) {
      const hour = hourOf(Date.parse(entry.occurred_at));
      const counts = expected.get(hour) ?? { succeeded: 0, failed: 0, lockouts: 0, ip_blocks: 0 };
      counts[COUNTED[entry.event]!]++;
      expected.set(hour, counts);
    }
    expect(expected.get(hourOf(now - 3 * HOUR))?.failed).toBeGreaterThanOrEqual(1);
    expect(expected.get(hourOf(now - 50 * HOUR))?.ip_blocks).toBe(1);
    const nonZero = (s: Stats) =>
      Object.fromEntries(s.hours.filter((h) => Object.values(COUNTED).some((n) => h[n] > 0)).map(({ hour, ...c }) => [hour, c]));
    expect(nonZero(seven)).toEqual(Object.fromEntries(expected));
    expect(Object.keys(nonZero(day)).every((hour) => Date.parse(hour) > now - 24 * HOUR)).toBe(true);
  });

  it('takes only the ranges it knows, and only from an administrator', async () => {
    const bad = await call<WpError>(system, admin, 'GET', '/logs/stats?range=30d');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'rest_invalid_param', data: { params: { range: 'range must be one of 24h, 7d.' } } });
    const user = await registerAndLogin(system);
    for (const path of ['/logs/stats', '/sessions/stats', '/webhooks/stats']) {
      expect((await call<WpError>(system, user.token, 'GET', path)).body.code, path).toBe('headlesskey_forbidden');
      expect((await call<WpError>(system, undefined, 'GET', path)).status, path).toBe(401);
    }
  });

  it('counts the live sessions of every user, and no ended one', async () => {
    const start = await stats<{ live_sessions: number; users: number }>('/sessions/stats');
    const user = newUser('sessions');
    const registered = await system.post<{ token_response: { token: string } }>('/register', user);
    expect(registered.status).toBe(201);
    const second = await login(user.username, user.password);
    expect(await stats('/sessions/stats')).toEqual({ live_sessions: start.live_sessions + 2, users: start.users + 1 });
    for (const token of [registered.body.token_response.token, second.body.token]) {
      expect((await system.post('/token/revoke', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    }
    expect(await stats('/sessions/stats')).toEqual(start);
  });

  it('names the failing webhook endpoints and counts the deliveries given up on', async () => {
    const receiver = async (status: number) => {
      const r = await startReceiver(() => ({ status }));
      receivers.push(r);
      return r;
    };
    const events = ['user.registered'];
    const healthy = await createEndpoint(system, admin, `${(await receiver(204)).url}/ok`, { events });
    const broken = await createEndpoint(system, admin, `${(await receiver(500)).url}/broken`, { events, description: 'broken' });
    const gone = await createEndpoint(system, admin, `${(await receiver(410)).url}/gone`, { events });
    expect((await system.post('/register', newUser('hooked'))).status).toBe(201);
    await eventually(async () => ((await deliveriesOf(system, admin, broken.id))[0]?.status === 'dead' ? true : undefined), 30_000);
    await eventually(async () => ((await deliveriesOf(system, admin, gone.id))[0]?.status === 'dead' ? true : undefined));
    await eventually(async () => ((await deliveriesOf(system, admin, healthy.id))[0]?.status === 'delivered' ? true : undefined));

    const health = await stats<{ failing: Record<string, unknown>[] } & Record<string, unknown>>('/webhooks/stats');
    expect(health).toMatchObject({ endpoints: 3, enabled: 2, pending: 0, dead: 2 });
    expect(health.failing.map((e) => e.id)).toEqual([broken.id, gone.id]);
    expect(health.failing[0]).toMatchObject({
      description: 'broken',
      enabled: true,
      disabled_reason: null,
      last_status_code: 500,
      last_error: 'HTTP 500; gave up after 3 attempts',
      retrying: 0,
      dead: 1,
    });
    expect(Date.parse(health.failing[0]!.last_attempt_at as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(health.failing[1]).toMatchObject({ enabled: false, disabled_reason: 'gone', last_status_code: 410, dead: 1 });
    expect(JSON.stringify(health)).not.toContain('whsec_');
  });
});

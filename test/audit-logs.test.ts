import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, call, envelope, publishEvent, rawBus, serviceDb, type WpError } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser, PASSWORD } from './support/users.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';

interface Entry {
  id: string;
  occurred_at: string;
  event: string;
  user_id: number | null;
  user_login: string | null;
  ip: string | null;
  user_agent: string | null;
  device: { browser: string | null; os: string | null; type: string };
  outcome: string;
  trace_id: string | null;
  data: Record<string, unknown>;
}
interface Page {
  entries: Entry[];
  next_cursor: string | null;
}

/** The activity log through `GET /logs`: what each event becomes, the filters, paging and access. */
describe('activity log', () => {
  let system: TestSystem;
  let admin: string;
  let nc: NatsConnection;
  let db: pg.Client;
  const traceId = randomBytes(16).toString('hex');
  let ada: { username: string; email: string; password: string; id: number; token: string; loginToken: string };

  const logs = (query: string, token = admin) => call<Page & WpError>(system, token, 'GET', `/logs${query}`);
  const entriesOf = async (query: string) => {
    const reply = await logs(query);
    if (reply.status !== 200) throw new Error(`GET /logs${query} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body.entries;
  };
  /** Every page of a query, following the cursor. */
  const allPages = async (query: string, perPage = 100) => {
    const pages: Entry[][] = [];
    let cursor: string | null = null;
    do {
      const sep = query ? '&' : '?';
      const reply: { status: number; body: Page } = await logs(`${query}${sep}per_page=${perPage}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(reply.status).toBe(200);
      pages.push(reply.body.entries);
      cursor = reply.body.next_cursor;
    } while (cursor);
    return pages;
  };

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    admin = await adminToken(system);
    nc = await rawBus();
    db = await serviceDb(system, 'audit');
    const user = newUser('ada');
    const registered = await system.post<{ user_id: number; token_response: { token: string } }>('/register', user, {
      'user-agent': IPHONE,
    });
    expect(registered.status).toBe(201);
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    const login = await system.post<{ token: string }>(
      '/token',
      { username: user.username, password: user.password },
      { 'user-agent': CHROME, traceparent },
    );
    expect(login.status).toBe(200);
    const failed = await system.post('/token', { username: user.username, password: 'not the password at all' }, { 'user-agent': CHROME });
    expect(failed.status).toBe(403);
    ada = { ...user, id: registered.body.user_id, token: registered.body.token_response.token, loginToken: login.body.token };
    // register: user.registered + token.issued; login: auth.login.succeeded + token.issued; then auth.login.failed.
    await eventually(async () => ((await entriesOf(`?user=${ada.id}`)).length >= 5 ? true : undefined), 15_000, "ada's five entries");
  });

  afterAll(async () => {
    await Promise.allSettled([nc?.close(), db?.end()]);
    await system?.stop();
  });

  it('records each event once, with time, type, user, IP, device, outcome and trace', async () => {
    const entries = await entriesOf(`?user=${ada.id}`);
    expect(entries.map((e) => e.event).sort()).toEqual(
      ['auth.login.failed', 'auth.login.succeeded', 'token.issued', 'token.issued', 'user.registered'].sort(),
    );
    // The failed login, a request of its own after the others, is the newest.
    expect(entries[0]!.event).toBe('auth.login.failed');
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    for (const entry of entries) {
      expect(entry).toMatchObject({ user_id: ada.id, user_login: ada.username, ip: '127.0.0.1' });
      expect(Date.parse(entry.occurred_at)).toBeGreaterThan(Date.now() - 120_000);
    }
    const one = (type: string) => entries.find((e) => e.event === type)!;
    const [failed, succeeded, registered] = [one('auth.login.failed'), one('auth.login.succeeded'), one('user.registered')];
    expect(failed).toMatchObject({
      outcome: 'failure',
      user_agent: CHROME,
      device: { browser: 'Chrome 120', os: 'Windows 10', type: 'desktop' },
      data: { user_id: ada.id, reason: 'invalid_credentials' },
    });
    expect(succeeded).toMatchObject({ outcome: 'success', trace_id: traceId, device: { type: 'desktop' } });
    expect(registered).toMatchObject({ outcome: 'success', device: { browser: 'Mobile Safari 17', os: 'iOS 17.2', type: 'mobile' } });
    expect(entries.every((e) => e.trace_id === null || /^[0-9a-f]{32}$/.test(e.trace_id))).toBe(true);
  });

  it('writes one row per event id', async () => {
    const { rows } = await db.query<{ n: number; distinct_ids: number }>(
      'select count(*)::int as n, count(distinct event_id)::int as distinct_ids from activity_log',
    );
    expect(rows[0]!.n).toBe(rows[0]!.distinct_ids);
  });

  it('filters by user (id or login), event, IP and time', async () => {
    expect((await entriesOf(`?user=${ada.username}`)).map((e) => e.id)).toEqual((await entriesOf(`?user=${ada.id}`)).map((e) => e.id));
    const failures = await entriesOf(`?user=${ada.id}&event=auth.login.failed`);
    expect(failures.map((e) => e.event)).toEqual(['auth.login.failed']);
    const two = await entriesOf(`?user=${ada.id}&event=auth.login.failed,user.registered`);
    expect(two.map((e) => e.event)).toEqual(['auth.login.failed', 'user.registered']);
    expect(await entriesOf(`?user=${ada.id}&ip=127.0.0.1`)).toHaveLength(5);
    expect(await entriesOf(`?user=${ada.id}&ip=127.0.0.0/8`)).toHaveLength(5);
    expect(await entriesOf(`?user=${ada.id}&ip=10.0.0.0/8`)).toHaveLength(0);
    const all = await entriesOf(`?user=${ada.id}`);
    const oldest = all.at(-1)!.occurred_at;
    const newest = all[0]!.occurred_at;
    expect((await entriesOf(`?user=${ada.id}&since=${newest}`)).every((e) => e.occurred_at >= newest)).toBe(true);
    expect(await entriesOf(`?user=${ada.id}&until=${oldest}`)).toEqual(all.filter((e) => e.occurred_at <= oldest));
    expect(await entriesOf(`?user=${ada.id}&since=2999-01-01T00:00:00Z`)).toHaveLength(0);
    expect(await entriesOf(`?user=${ada.id}&until=2000-01-01`)).toHaveLength(0);
    expect(await entriesOf('?user=nobody_by_that_name')).toHaveLength(0);
  });

  it('pages newest first with an opaque cursor, each entry once', async () => {
    for (let i = 0; i < 4; i++) {
      await publishEvent(nc, system.names, envelope('auth.login.failed', { user_id: null, reason: 'invalid_credentials' }));
    }
    await eventually(async () => ((await entriesOf('?ip=198.51.100.7')).length === 4 ? true : undefined), 15_000, 'the four events');
    const whole = (await allPages('', 100)).flat();
    const pages = await allPages('', 3);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
    expect(pages.flat().map((e) => e.id)).toEqual(whole.map((e) => e.id));
    const keys = whole.map((e) => `${e.occurred_at}|${e.id}`);
    expect([...keys].sort().reverse()).toEqual(keys);
  });

  it('answers administrators only', async () => {
    expect(await call(system, undefined, 'GET', '/logs')).toMatchObject({ status: 401, body: { code: 'headlesskey_unauthorized' } });
    const subscriber = await system.post<{ token: string }>('/token', { username: ada.username, password: PASSWORD });
    expect(await logs('', subscriber.body.token)).toMatchObject({ status: 403, body: { code: 'headlesskey_forbidden' } });
    expect(await logs('', 'not.a.token')).toMatchObject({ status: 401, body: { code: 'headlesskey_invalid_token' } });
  });

  it('refuses bad query parameters by name', async () => {
    const cases: [string, string][] = [
      ['?since=yesterday', 'since'],
      ['?until=2026-02-30', 'until'],
      ['?event=auth.nope', 'event'],
      ['?event=DROP%20TABLE', 'event'],
      ['?ip=10.0.0.0/40', 'ip'],
      ['?ip=localhost', 'ip'],
      ['?per_page=0', 'per_page'],
      ['?per_page=101', 'per_page'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?user=a&user=b', 'user'],
    ];
    for (const [query, param] of cases) {
      const reply = await logs(query);
      expect(reply.status, query).toBe(400);
      expect(reply.body.code, query).toBe('rest_invalid_param');
      expect(Object.keys(reply.body.data.params as Record<string, string>), query).toEqual([param]);
    }
    expect((await logs('?unknown=1')).status).toBe(200);
  });

  it('never lets a password, token, reset key, OTP or secret reach the log', async () => {
    // A producer with a bug puts credentials in an event; the log must drop them all the same.
    const leaky = envelope('password.reset.requested', {
      user_id: ada.id,
      password: 'leaked-password-value',
      reset_key: 'leaked-reset-key-value',
      otp: '918273',
      token: ada.loginToken,
      client_secret: 'leaked-secret-value',
      note: ada.token,
    });
    await publishEvent(nc, system.names, leaky);
    await eventually(async () => ((await entriesOf(`?user=${ada.id}&event=password.reset.requested`)).length === 1 ? true : undefined));
    const secrets = [
      ada.password,
      'not the password at all',
      ADMIN_ENV.HEADLESSKEY_ADMIN_PASSWORD!,
      ada.token,
      ada.loginToken,
      admin,
      ...[ada.token, ada.loginToken, admin].map((t) => t.split('.')[2]!),
      'leaked-password-value',
      'leaked-reset-key-value',
      '918273',
      'leaked-secret-value',
    ];
    const tables = await db.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public'");
    let dump = '';
    for (const { table_name } of tables.rows) {
      const rows = await db.query(`select row_to_json(t)::text as row from "${table_name}" t`);
      dump += rows.rows.map((r) => r.row).join('\n');
    }
    dump += JSON.stringify(await allPages(''));
    expect(dump).toContain(ada.username);
    for (const secret of secrets) expect(dump.includes(secret), `the log holds ${secret.slice(0, 12)}…`).toBe(false);
  });
});

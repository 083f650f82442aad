import type { NatsConnection } from '@nats-io/transport-node';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_ENV,
  adminToken,
  call,
  createEndpoint,
  DISPATCHER_ENV,
  deliveriesOf,
  envelope,
  failedLogin,
  publishEvent,
  rawBus,
} from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, registerAndLogin } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

interface Payload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** Signed deliveries to a real receiver on loopback, checked with the reference implementation of the spec. */
describe('webhook delivery', () => {
  let system: TestSystem;
  let admin: string;
  let nc: NatsConnection;
  const receivers: Receiver[] = [];

  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };
  const endpoint = (url: string, extra: Record<string, unknown> = {}) => createEndpoint(system, admin, url, extra);
  const deliveries = (id: string) => deliveriesOf(system, admin, id);

  beforeAll(async () => {
    system = await startTestSystem({
      env: {
        ...DISPATCHER_ENV,
        HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE: '0.05,0.1,0.2,0.4,0.8,1.6,3.2',
      },
    });
    admin = await adminToken(system);
    nc = await rawBus();
  });
  afterAll(async () => {
    await Promise.allSettled([nc?.close(), ...receivers.map((r) => r.close())]);
    await system?.stop();
  });

  it('signs every delivery as the specification says, with the catalog body and no secret', async () => {
    const hooks = await receiver();
    const { id, secret } = await endpoint(`${hooks.url}/all`);
    const user = await registerAndLogin(system, { 'user-agent': CHROME });
    const mine = () => hooks.received.filter((r) => (JSON.parse(r.body) as Payload).data.user_id === user.id);
    // register: user.registered + token.issued; login: auth.login.succeeded + token.issued.
    await eventually(async () => (mine().length >= 4 ? true : undefined), 15_000, "the user's four events");
    const verifier = new Webhook(secret);
    // A delivery is logged once its answer is back, just after the receiver has the request.
    const log = await eventually(
      async () => {
        const rows = await deliveries(id);
        return mine().every((r) => rows.some((d) => d.message_id === r.id && d.status === 'delivered')) ? rows : undefined;
      },
      15_000,
      'the four deliveries logged',
    );
    for (const received of mine()) {
      const payload = verifier.verify(received.body, received.headers) as Payload;
      expect(Object.keys(payload).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(received.headers['content-type']).toBe('application/json');
      expect(Math.abs(Number(received.timestamp) - Date.now() / 1000)).toBeLessThan(300);
      const row = log.find((d) => d.message_id === received.id);
      expect(row, `a log row for ${received.id}`).toMatchObject({ event_id: received.id, event_type: payload.type, status: 'delivered' });
      expect(() => verifier.verify(`${received.body} `, received.headers)).toThrow();
    }
    const types = mine().map((r) => (JSON.parse(r.body) as Payload).type);
    expect(types.sort()).toEqual(['auth.login.succeeded', 'token.issued', 'token.issued', 'user.registered']);
    const login = mine().find((r) => r.body.includes('auth.login.succeeded'))!;
    expect((JSON.parse(login.body) as Payload).data).toMatchObject({
      user_id: user.id,
      user_login: user.username,
      ip: '127.0.0.1',
      user_agent: CHROME,
    });
    const everything = hooks.received.map((r) => `${JSON.stringify(r.headers)}${r.body}`).join('\n');
    for (const secret of [user.password, user.token, user.token.split('.')[2]!, ADMIN_ENV.HEADLESSKEY_ADMIN_PASSWORD!, admin]) {
      expect(everything.includes(secret)).toBe(false);
    }
  });

  it('sends an endpoint only the event types it wants, and a disabled endpoint nothing', async () => {
    const hooks = await receiver();
    const picky = await endpoint(`${hooks.url}/picky`, { events: ['auth.login.failed'] });
    const off = await endpoint(`${hooks.url}/off`, { enabled: false });
    const unwanted = envelope('token.revoked', { user_id: 7, session_id: 's', reason: 'logout' });
    const wanted = failedLogin();
    await publishEvent(nc, system.names, unwanted);
    await publishEvent(nc, system.names, wanted);
    await eventually(async () => hooks.received.find((r) => r.id === wanted.id), 15_000, 'the wanted event');
    // Rows are made in stream order: once the second event has its row, the first was passed over.
    expect((await deliveries(picky.id)).map((d) => d.event_id)).toEqual([wanted.id]);
    expect(await deliveries(off.id)).toEqual([]);
    expect(hooks.received.every((r) => r.path === '/picky')).toBe(true);
  });

  it('a receiver down for a while, then back, gets every event once per webhook-id', async () => {
    const hooks = await receiver();
    const { id } = await endpoint(`${hooks.url}/flaky`, { events: ['auth.login.failed'] });
    await hooks.down();
    const events = Array.from({ length: 5 }, failedLogin);
    for (const event of events) await publishEvent(nc, system.names, event);
    await eventually(
      async () => {
        const rows = await deliveries(id);
        return rows.length === 5 && rows.every((d) => d.attempts >= 2 && /ECONNREFUSED/.test(d.last_error ?? '')) ? true : undefined;
      },
      15_000,
      'two refused attempts of each delivery',
    );
    await hooks.up();
    await eventually(
      async () => ((await deliveries(id)).every((d) => d.status === 'delivered') ? true : undefined),
      15_000,
      'every delivery through',
    );
    expect(hooks.acceptedIds().sort()).toEqual(events.map((e) => e.id).sort());
    for (const row of await deliveries(id)) {
      expect(row.attempts).toBeGreaterThanOrEqual(3);
      expect(row.attempt_log[0]).toMatchObject({ status_code: 204, error: null });
      expect(row.attempt_log.at(-1)?.error).toMatch(/ECONNREFUSED/);
    }
  });

  it('sends a delivered message again on redeliver, under the same webhook-id', async () => {
    const hooks = await receiver();
    const { id, secret } = await endpoint(`${hooks.url}/again`, { events: ['auth.login.failed'] });
    const event = failedLogin();
    await publishEvent(nc, system.names, event);
    const [row] = await eventually(async () => {
      const rows = await deliveries(id);
      return rows[0]?.status === 'delivered' ? rows : undefined;
    });
    const redelivered = await call<Delivery>(system, admin, 'POST', `/webhooks/${id}/deliveries/${row!.id}/redeliver`);
    expect(redelivered).toMatchObject({ status: 200, body: { id: row!.id, message_id: event.id } });
    // Due at once: the worker may already hold it by the time the answer is read.
    expect(redelivered.body.attempts).toBeLessThanOrEqual(1);
    await eventually(
      async () => (hooks.received.filter((r) => r.id === event.id).length === 2 ? true : undefined),
      15_000,
      'a second copy',
    );
    const [first, second] = hooks.received.filter((r) => r.id === event.id);
    expect(second!.body).toBe(first!.body);
    expect(new Webhook(secret).verify(second!.body, second!.headers)).toMatchObject({ type: 'auth.login.failed' });
    await eventually(async () => ((await deliveries(id))[0]?.attempt_log.length === 2 ? true : undefined));
    const unknown = await call(system, admin, 'POST', `/webhooks/${id}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`);
    expect(unknown).toMatchObject({ status: 404, body: { code: 'headlesskey_not_found' } });
  });

  it('pages the delivery log and filters it by status', async () => {
    const hooks = await receiver();
    const { id } = await endpoint(`${hooks.url}/paged`, { events: ['auth.login.failed'] });
    for (let i = 0; i < 5; i++) await publishEvent(nc, system.names, failedLogin());
    await eventually(async () => ((await deliveries(id)).filter((d) => d.status === 'delivered').length === 5 ? true : undefined));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { deliveries: Delivery[]; next_cursor: string | null } } = await call(
        system,
        admin,
        'GET',
        `/webhooks/${id}/deliveries?per_page=2&status=delivered${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.deliveries.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.deliveries.map((d) => d.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual((await deliveries(id)).map((d) => d.id));
    const pending = await call<{ deliveries: Delivery[] }>(system, admin, 'GET', `/webhooks/${id}/deliveries?status=pending`);
    expect(pending.body.deliveries).toEqual([]);
    const bad = await call(system, admin, 'GET', `/webhooks/${id}/deliveries?status=lost&per_page=1000`);
    expect(bad).toMatchObject({ status: 400, body: { code: 'rest_invalid_param' } });
  });
});

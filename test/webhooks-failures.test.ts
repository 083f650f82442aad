import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, createEndpoint, DISPATCHER_ENV, deliveriesOf, failedLogin, publishEvent, rawBus } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser, registerAndLogin } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const PER_ENDPOINT = 2;
const SCHEDULE = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2];

/** What a failing, slow or hostile receiver gets, and what it cannot make the dispatcher do. */
describe('webhook failures', () => {
  let system: TestSystem;
  let admin: string;
  let nc: NatsConnection;
  const receivers: Receiver[] = [];

  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  const endpoint = (url: string, extra: Record<string, unknown> = {}) => createEndpoint(system, admin, url, extra);
  const deliveries = (id: string) => deliveriesOf(system, admin, id);
  const only = ['auth.login.failed'];

  beforeAll(async () => {
    system = await startTestSystem({
      env: {
        ...DISPATCHER_ENV,
        HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE: SCHEDULE.join(','),
        HEADLESSKEY_WEBHOOK_ENDPOINT_CONCURRENCY: String(PER_ENDPOINT),
        // Long enough that the hanging endpoint's requests are still open when the test looks.
        HEADLESSKEY_WEBHOOK_TIMEOUT_MS: '60000',
      },
    });
    admin = await adminToken(system);
    nc = await rawBus();
  });
  afterAll(async () => {
    for (const r of receivers) r.release(204);
    await Promise.allSettled([nc?.close(), ...receivers.map((r) => r.close())]);
    await system?.stop();
  });

  it('never follows a redirect, even one to an internal address, and counts it a failure', async () => {
    const internal = await receiver();
    const redirecting = await receiver(() => ({ status: 302, headers: { location: `${internal.url}/steal` } }));
    const { id } = await endpoint(`${redirecting.url}/hook`, { events: only });
    await publishEvent(nc, system.names, failedLogin());
    const [row] = await eventually(async () => {
      const rows = await deliveries(id);
      return rows[0] && rows[0].attempts >= 2 && rows[0].attempt_log.length >= 2 ? rows : undefined;
    });
    expect(row).toMatchObject({ status: 'pending', last_status_code: 302, last_error: 'HTTP 302: redirects are not followed' });
    expect(redirecting.received.length).toBeGreaterThanOrEqual(2);
    expect(internal.received).toEqual([]);
  });

  it('dead-letters a delivery after its last attempt and keeps it in the log', async () => {
    const letters: Record<string, unknown>[] = [];
    const sub = nc.subscribe(system.names.deadLetter(`${system.names.consumer('webhooks')}_deliveries`), {
      callback: (_err, msg) => {
        letters.push(msg.json());
      },
    });
    await nc.flush();
    try {
      const broken = await receiver(() => ({ status: 500 }));
      const { id } = await endpoint(`${broken.url}/broken`, { events: only });
      const event = failedLogin();
      await publishEvent(nc, system.names, event);
      const [row] = await eventually(async () => {
        const rows = await deliveries(id);
        return rows[0]?.status === 'dead' ? rows : undefined;
      }, 30_000);
      expect(row).toMatchObject({ attempts: SCHEDULE.length + 1, next_attempt_at: null, last_status_code: 500 });
      expect(row!.last_error).toBe(`HTTP 500; gave up after ${SCHEDULE.length + 1} attempts`);
      expect(row!.attempt_log.map((a) => a.status_code)).toEqual(Array(SCHEDULE.length + 1).fill(500));
      expect(broken.received.filter((r) => r.id === event.id)).toHaveLength(SCHEDULE.length + 1);
      const mine = () => letters.filter((letter) => letter.endpoint_id === id);
      await eventually(async () => (mine().length > 0 ? true : undefined));
      expect(mine()).toEqual([
        { delivery_id: row!.id, endpoint_id: id, event_id: event.id, event_type: 'auth.login.failed', error: row!.last_error },
      ]);
      const dead = await call<{ deliveries: Delivery[] }>(system, admin, 'GET', `/webhooks/${id}/deliveries?status=dead`);
      expect(dead.body.deliveries.map((d) => d.id)).toEqual([row!.id]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    const gone = await receiver(() => ({ status: 410 }));
    const witness = await receiver();
    const { id } = await endpoint(`${gone.url}/gone`, { events: only });
    const { id: witnessId } = await endpoint(`${witness.url}/witness`, { events: only });
    await publishEvent(nc, system.names, failedLogin());
    await eventually(async () => ((await deliveries(id))[0]?.status === 'dead' ? true : undefined));
    expect(await deliveries(id)).toMatchObject([{ attempts: 1, last_status_code: 410 }]);
    const view = await call<{ enabled: boolean; disabled_reason: string | null }>(system, admin, 'GET', `/webhooks/${id}`);
    expect(view.body).toMatchObject({ enabled: false, disabled_reason: 'gone' });

    const later = failedLogin();
    await publishEvent(nc, system.names, later);
    await eventually(async () => ((await deliveries(witnessId)).some((d) => d.event_id === later.id) ? true : undefined));
    expect(await deliveries(id)).toHaveLength(1);
    expect(gone.received).toHaveLength(1);

    const enabled = await call(system, admin, 'PATCH', `/webhooks/${id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null });
  });

  it('waits at least as long as Retry-After asks on 503', async () => {
    const busy = await receiver((_request, seen) =>
      seen.length === 1 ? { status: 503, headers: { 'retry-after': '2' } } : { status: 204 },
    );
    const { id } = await endpoint(`${busy.url}/busy`, { events: only });
    await publishEvent(nc, system.names, failedLogin());
    await eventually(async () => ((await deliveries(id))[0]?.status === 'delivered' ? true : undefined), 15_000);
    const [first, second] = busy.received;
    // The schedule alone would have retried after 50 ms.
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_900);
    expect(busy.received).toHaveLength(2);
  });

  it('a hanging endpoint holds only its own few slots: other endpoints and logins go on', async () => {
    const slow = await receiver(() => 'hang');
    const fast = await receiver();
    await endpoint(`${slow.url}/slow`, { events: only });
    const { id: fastId } = await endpoint(`${fast.url}/fast`, { events: only });
    const events = Array.from({ length: 6 }, failedLogin);
    for (const event of events) await publishEvent(nc, system.names, event);
    await eventually(async () => (slow.inFlight() === PER_ENDPOINT ? true : undefined), 15_000, 'the slow endpoint full');

    const login = await registerAndLogin(system);
    expect(login.token).toEqual(expect.any(String));
    const failed = await system.post('/token', { username: newUser().username, password: 'not the password at all' });
    expect(failed.status).toBe(403);

    await eventually(
      async () => ((await deliveries(fastId)).filter((d) => d.status === 'delivered').length === 7 ? true : undefined),
      15_000,
      'every event at the fast endpoint',
    );
    expect(fast.acceptedIds()).toEqual(expect.arrayContaining(events.map((e) => e.id)));
    // All the while the slow endpoint held its requests, and never more than its share.
    expect(slow.inFlight()).toBe(PER_ENDPOINT);
    expect(slow.maxInFlight).toBe(PER_ENDPOINT);
    expect(slow.received).toHaveLength(PER_ENDPOINT);
    slow.release(204);
  });
});

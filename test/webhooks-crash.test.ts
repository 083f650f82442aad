import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, createEndpoint, DISPATCHER_ENV, deliveriesOf, failedLogin, publishEvent, rawBus } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually } from './support/users.js';
import { type Receiver, type Responder, startReceiver } from './support/webhook-receiver.js';

/** For one describe: a system with a fast dispatcher, an administrator's token, a raw bus and a receiver. */
function withDispatcher(env: Record<string, string>, responder: Responder) {
  const rig = {} as { system: TestSystem; admin: string; nc: NatsConnection; hooks: Receiver };
  beforeAll(async () => {
    rig.system = await startTestSystem({ env: { ...DISPATCHER_ENV, ...env } });
    rig.admin = await adminToken(rig.system);
    rig.nc = await rawBus();
    rig.hooks = await startReceiver(responder);
  });
  afterAll(async () => {
    rig.hooks?.release();
    await Promise.allSettled([rig.nc?.close(), rig.hooks?.close()]);
    await rig.system?.stop();
  });
  return rig;
}

/**
 * Deliveries are rows, not memory: a dispatcher killed while its deliveries wait to be retried
 * (and while new events arrive) loses none of them once it is back.
 */
describe('webhook dispatcher killed mid-retry', () => {
  const rig = withDispatcher(
    { HEADLESSKEY_WEBHOOK_TIMEOUT_MS: '2000', HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE: '0.3,0.5,1,1,2,2,4,4,8' },
    () => ({ status: 500 }),
  );

  it('delivers every event once the dispatcher is back, each once per webhook-id', async () => {
    const { system, admin, nc, hooks } = rig;
    const { id } = await createEndpoint(system, admin, `${hooks.url}/in`, { events: ['auth.login.failed'] });
    const deliveries = () => deliveriesOf(system, admin, id);

    const before = Array.from({ length: 3 }, failedLogin);
    for (const event of before) await publishEvent(nc, system.names, event);
    // Mid-retry: each delivery has a failed attempt on record and waits for its next one.
    await eventually(
      async () => {
        const rows = await deliveries();
        const waiting = rows.filter((d) => d.status === 'pending' && d.attempt_log[0]?.status_code === 500);
        return waiting.length === before.length ? true : undefined;
      },
      15_000,
      'a recorded failed attempt of each delivery',
    );

    await system.kill('webhooks', 'SIGKILL');
    expect(system.processes.filter((p) => p.service === 'webhooks').map((p) => p.exit?.signal)).toEqual(['SIGKILL']);
    const during = Array.from({ length: 2 }, failedLogin);
    for (const event of during) await publishEvent(nc, system.names, event);
    hooks.respond(() => ({ status: 204 }));
    await system.restart('webhooks');

    const all = [...before, ...during];
    await eventually(
      async () => {
        const rows = await deliveries();
        return rows.length === all.length && rows.every((d) => d.status === 'delivered') ? rows : undefined;
      },
      30_000,
      'every delivery through after the restart',
    );
    expect(hooks.acceptedIds().sort()).toEqual(all.map((e) => e.id).sort());
    for (const row of await deliveries()) {
      const first = before.some((e) => e.id === row.event_id);
      expect(row.attempts).toBeGreaterThanOrEqual(first ? 2 : 1);
      if (first) expect(row.attempt_log.at(-1)?.status_code).toBe(500);
    }
  });
});

/**
 * A dispatcher killed while its attempts hang leaves leases holding its endpoint's slots; the
 * process that replaces it gives them back at once (their holder is gone from NATS), instead of
 * leaving the endpoint stalled until the leases run out (the attempt timeout and 5 s more).
 */
describe('webhook dispatcher killed mid-attempt', () => {
  const TIMEOUT_MS = 20_000;
  const rig = withDispatcher(
    { HEADLESSKEY_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS), HEADLESSKEY_WEBHOOK_ENDPOINT_CONCURRENCY: '1' },
    () => 'hang',
  );

  it('frees the endpoint at once: the held delivery is sent again, the next one follows', async () => {
    const { system, admin, nc, hooks } = rig;
    await createEndpoint(system, admin, `${hooks.url}/in`, { events: ['auth.login.failed'] });
    const held = failedLogin();
    await publishEvent(nc, system.names, held);
    await eventually(async () => (hooks.inFlight() === 1 ? true : undefined), 15_000, 'the attempt to hang');

    const [victim] = system.processes.filter((p) => p.service === 'webhooks' && p.exit === undefined);
    const killedAt = Date.now();
    victim?.child.kill('SIGKILL');
    // Gone before the next event is published: one handed to a dying consumer waits out its ack_wait.
    await victim?.exited;
    hooks.respond(() => ({ status: 204 }));
    const next = failedLogin();
    await publishEvent(nc, system.names, next);

    await eventually(async () => (hooks.acceptedIds().includes(next.id) ? true : undefined), TIMEOUT_MS, 'the next event delivered');
    // Its lease would have held the only slot for TIMEOUT_MS and 5 s more.
    expect(Date.now() - killedAt).toBeLessThan(TIMEOUT_MS / 2);
    expect(hooks.acceptedIds()).toContain(held.id);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import type { NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, createEndpoint, deliveriesOf, failedLogin, publishEvent, rawBus } from './support/admin-api.js';
import { type PrivatePostgres, startPrivatePostgres } from './support/private-postgres.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const TIMEOUT_MS = 2000;
/** The worker's lease on a claimed delivery: the attempt's timeout plus its 5 s margin. */
const LEASE_MS = TIMEOUT_MS + 5000;
const POLL_MS = 200;
/** How long the database stays down after the receiver has answered. */
const OUTAGE_MS = 1500;

/**
 * The receiver answers 2xx, and the database goes away before the worker can write that down:
 * once it is back, the outcome is still recorded, and the delivery is not sent a second time
 * when its lease would have run out.
 */
describe('a database outage between the receiver’s answer and its record', () => {
  let server: PrivatePostgres;
  let system: TestSystem;
  let nc: NatsConnection;
  let hooks: Receiver;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    system = await startTestSystem({
      databaseUrl: server.url,
      env: {
        ...ADMIN_ENV,
        HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE: 'true',
        HEADLESSKEY_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        HEADLESSKEY_WEBHOOK_POLL_MS: String(POLL_MS),
      },
    });
    nc = await rawBus();
    hooks = await startReceiver();
  });
  afterAll(async () => {
    await Promise.allSettled([nc?.close(), hooks?.close()]);
    await system?.stop();
    await server?.stop();
  });

  it('records the delivery as delivered and sends its webhook-id once', async () => {
    const admin = await adminToken(system);
    const { id } = await createEndpoint(system, admin, `${hooks.url}/outage`, { events: ['auth.login.failed'] });
    const event = failedLogin();
    let outage: Promise<void> | undefined;
    hooks.respond((request) => {
      if (request.id !== event.id || outage) return { status: 204 };
      // Held until the database is down, then answered: the worker has its 2xx with nowhere to
      // write it. The server comes back a moment later, well within the lease.
      outage = (async () => {
        await server.halt();
        hooks.release(204);
        await sleep(OUTAGE_MS);
        await server.start();
      })();
      return 'hang';
    });
    await publishEvent(nc, system.names, event);
    await eventually(async () => (outage ? true : undefined), 15_000, 'the first delivery');
    await outage;
    const first = hooks.received.find((r) => r.id === event.id)!;

    await eventually(
      async () => {
        const log = await deliveriesOf(system, admin, id).catch(() => undefined);
        return log?.[0]?.status === 'delivered' ? log : undefined;
      },
      20_000,
      'the delivery recorded as delivered',
    );
    // Nothing more must arrive: a delivery whose outcome went unrecorded is claimed again once
    // its lease runs out, so wait past that, plus two polls, for a second copy to show.
    await sleep(Math.max(0, first.at + LEASE_MS + 2 * POLL_MS + 500 - Date.now()));

    expect(hooks.received.filter((r) => r.id === event.id).map((r) => r.status)).toEqual([204]);
    const rows = await deliveriesOf(system, admin, id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ message_id: event.id, status: 'delivered', last_status_code: 204 });
    // One attempt, answered 2xx: the worker had the receiver's answer and wrote it down.
    expect(rows[0]!.attempt_log).toEqual([expect.objectContaining({ status_code: 204, error: null })]);
  });
});

import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls } from './support/instance.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, registerAndLogin } from './support/users.js';

const LOGINS = 10;

describe('the activity log of a quiet system', () => {
  let system: TestSystem;
  let auditDb: pg.Client;
  let nc: NatsConnection;

  beforeAll(async () => {
    system = await startTestSystem();
    const { databaseUrl, natsUrl } = backendUrls();
    const url = Object.assign(new URL(databaseUrl), { pathname: `/${system.names.database('audit')}` });
    auditDb = new pg.Client({ connectionString: url.toString() });
    await auditDb.connect();
    nc = await connect({ servers: natsUrl });
  });
  afterAll(async () => {
    await Promise.allSettled([auditDb?.end(), nc?.close()]);
    await system?.stop();
  });

  it('writes an event as soon as it comes off the bus, waiting for no batch to fill', async () => {
    // When each login's event reached the bus's subscribers: the audit consumer gets it then too.
    const arrived = new Map<string, number>();
    nc.subscribe(system.names.events, {
      callback: (_err, msg) => {
        const event = msg.json<{ id: string; type: string }>();
        if (event.type === 'auth.login.succeeded') arrived.set(event.id, Date.now());
      },
    });
    await nc.flush();
    for (let i = 0; i < LOGINS; i++) await registerAndLogin(system);

    const lags = await eventually(async () => {
      const { rows } = await auditDb.query<{ event_id: string; projected: number }>(
        `select event_id, extract(epoch from projected_at) * 1000 as projected from activity_log where type = 'auth.login.succeeded'`,
      );
      if (rows.length < LOGINS || arrived.size < LOGINS) return undefined;
      return rows.map((r) => Number(r.projected) - (arrived.get(r.event_id) ?? Number.NaN));
    });
    const median = [...lags].sort((a, b) => a - b)[Math.floor(lags.length / 2)] as number;
    // A consumer lingering for more events would add its whole linger to every lone event.
    expect(median).toBeLessThan(20);
  });
});

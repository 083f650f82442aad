import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls } from './support/instance.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser } from './support/users.js';

/**
 * The outbox promise: an event committed with its state reaches the consumers exactly once, even
 * when the service dies between the commit and the publish, and even when a relay published it
 * but died before marking it sent.
 */
describe('identity killed between commit and publish', () => {
  let system: TestSystem;
  let identityDb: pg.Client;
  let auditDb: pg.Client;
  let nc: NatsConnection;

  beforeAll(async () => {
    system = await startTestSystem();
    const { databaseUrl, natsUrl } = backendUrls();
    const at = (db: string) => Object.assign(new URL(databaseUrl), { pathname: `/${db}` }).toString();
    identityDb = new pg.Client({ connectionString: at(system.names.database('identity')) });
    auditDb = new pg.Client({ connectionString: at(system.names.database('audit')) });
    await Promise.all([identityDb.connect(), auditDb.connect()]);
    nc = await connect({ servers: natsUrl });
  });

  afterAll(async () => {
    await Promise.allSettled([identityDb?.end(), auditDb?.end(), nc?.close()]);
    await system?.stop();
  });

  const auditRows = async (eventId: string) =>
    (await auditDb.query<{ n: number }>('select count(*)::int as n from activity_log where event_id = $1', [eventId])).rows[0]?.n ?? 0;

  it('delivers the committed event exactly once after a restart', async () => {
    // Stand in for a relay on another replica that holds the lock and then dies: while we hold
    // it, identity commits but cannot publish.
    await system.kill('identity', 'SIGKILL');
    await identityDb.query("select pg_advisory_lock(hashtext('outbox_relay'))");
    await system.restart('identity');

    const user = newUser();
    expect((await system.post('/register', user)).status).toBe(201);
    const { rows } = await identityDb.query<{ event_id: string; subject: string; payload: unknown }>(
      "select event_id, subject, payload from outbox where payload->>'type' = 'user.registered'",
    );
    expect(rows).toHaveLength(1);
    const [pending] = rows;
    if (!pending) throw new Error('no outbox row');
    expect(await auditRows(pending.event_id)).toBe(0);

    // A relay that published and died before deleting the row: the event is already out once.
    await jetstream(nc).publish(pending.subject, JSON.stringify(pending.payload), { msgID: pending.event_id });

    await system.kill('identity', 'SIGKILL');
    await identityDb.query("select pg_advisory_unlock(hashtext('outbox_relay'))");
    await system.restart('identity');

    await eventually(async () => ((await auditRows(pending.event_id)) === 1 ? true : undefined), 15_000, 'the event in the activity log');
    await eventually(
      async () => ((await identityDb.query('select 1 from outbox')).rowCount === 0 ? true : undefined),
      15_000,
      'an empty outbox',
    );
    // The restarted relay's re-publish was dropped by the stream, and the projector wrote once.
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(system.names.eventStream, { subjects_filter: pending.subject });
    expect(info.state.subjects?.[pending.subject]).toBe(1);
    expect(await auditRows(pending.event_id)).toBe(1);
  });
});

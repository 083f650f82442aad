import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { ensureEventStream } from '../bus/event-stream.js';
import { createLogger } from '../logging/logger.js';
import { databaseUrl, openStore, type Store } from './database.js';
import { recordEvents, type StoreScope } from './event-store.js';
import { type OutboxRelay, startOutboxRelay } from './outbox-relay.js';

/** So long that only a NOTIFY (or stop) can make a relay act within a test. */
const NEVER_MS = 10 * 60_000;

const names = uniqueInstance();
const { databaseUrl: serverUrl, natsUrl } = backendUrls();
const database = names.database('tokens');
const scope: StoreScope = { service: 'tokens', names };
const logger = createLogger('test', 'silent');

let store: Store;
let admin: pg.Client;
/** Holds row locks in an open transaction; `admin` stays outside it, as pg_stat_activity is frozen inside one. */
let locker: pg.Client;
let nc: NatsConnection;
let jsm: JetStreamManager;
const connections: NatsConnection[] = [];
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  store = await openStore({ serverUrl, database, entities: [], migrations: [], logger });
  admin = new pg.Client({ connectionString: databaseUrl(serverUrl, database) });
  await admin.connect();
  locker = new pg.Client({ connectionString: databaseUrl(serverUrl, database) });
  await locker.connect();
  nc = await connect({ servers: natsUrl });
  await ensureEventStream(nc, names);
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await Promise.all(connections.map((c) => c.close()));
  await admin?.end();
  await locker?.end();
  await store?.close();
  await nc?.close();
  await dropInstance(names);
});

/** A relay with its own bus connection, and a name its PostgreSQL session shows in pg_stat_activity. */
async function startRelay(name: string, pollMs: number): Promise<{ relay: OutboxRelay; bus: NatsConnection }> {
  const bus = await connect({ servers: natsUrl });
  connections.push(bus);
  const relay = startOutboxRelay({ nc: bus, databaseUrl: `${databaseUrl(serverUrl, database)}?application_name=${name}`, logger, pollMs });
  relays.push(relay);
  return { relay, bus };
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const streamCount = async () => (await jsm.streams.info(names.eventStream)).state.messages;
const outboxCount = async () => Number((await admin.query('select count(*) as n from outbox')).rows[0].n);
const record = (streamId: string) => recordEvents(store, scope, streamId, [{ type: 'token.issued', data: {} }], {});

/** Which relay session holds the advisory lock, if any. */
async function lockHolder(): Promise<string | undefined> {
  const { rows } = await admin.query<{ name: string }>(
    `select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())`,
  );
  return rows[0]?.name;
}

async function session(name: string): Promise<{ state: string; query: string; wait_event_type: string | null } | undefined> {
  const { rows } = await admin.query('select state, query, wait_event_type from pg_stat_activity where application_name = $1', [name]);
  return rows[0];
}

/** The holder is asleep: its last statement was the drain's read, and it is idle. */
const asleep = async (name: string) => {
  const s = await session(name);
  return s?.state === 'idle' && s.query.includes('from outbox where position <> all');
};

/** The relay's drain statement waits on our lock to delete what the drain before it published. */
const waitsOnLock = async (name: string) => (await session(name))?.wait_event_type === 'Lock';

/** Runs `fn` while a transaction of ours holds every outbox row, so a relay's delete waits on it. */
async function withOutboxLocked(fn: () => Promise<void>): Promise<void> {
  await locker.query('begin');
  await locker.query('select position from outbox for update');
  try {
    await fn();
  } finally {
    await locker.query('commit');
  }
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('outbox relay, one per database', () => {
  it('publishes from one replica only; when it stops, the standby takes over', async () => {
    const a = await startRelay('relay_a', 50);
    await until('relay_a holds the lock', async () => (await lockHolder()) === 'relay_a');
    const b = await startRelay('relay_b', 50);
    await until('relay_b has tried for the lock', async () => (await session('relay_b'))?.query.includes('pg_try_advisory_lock') === true);

    const before = await streamCount();
    for (let i = 0; i < 3; i++) await record(`ha-${i}`);
    await until('three events are on the stream', async () => (await streamCount()) === before + 3 && (await outboxCount()) === 0);
    expect(a.bus.stats().outMsgs).toBeGreaterThanOrEqual(3);
    expect(b.bus.stats().outMsgs).toBe(0);
    expect(await lockHolder()).toBe('relay_a');

    await a.relay.stop();
    await record('ha-3');
    await record('ha-4');
    await until('two more events are on the stream', async () => (await streamCount()) === before + 5 && (await outboxCount()) === 0);
    expect(await lockHolder()).toBe('relay_b');
    expect(b.bus.stats().outMsgs).toBeGreaterThanOrEqual(2);
    await b.relay.stop();
    // The session ends with stop(); the server lets go of its lock as the backend exits.
    await until('no relay holds the lock', async () => (await lockHolder()) === undefined);
  });
});

describe('outbox relay wake-ups', () => {
  it('publishes a commit at once, woken by NOTIFY, when its poll period is ten minutes', async () => {
    const { relay } = await startRelay('relay_notify', NEVER_MS);
    await until('relay_notify is asleep', () => asleep('relay_notify'));
    const before = await streamCount();
    await record('notify-1');
    await until('the event is on the stream', async () => (await streamCount()) === before + 1);
    await record('notify-2');
    await until('the second event is on the stream', async () => (await streamCount()) === before + 2);
    await within(relay.stop(), 5_000, 'stop of a sleeping relay');
  });

  it('does not lose a NOTIFY that arrives while it is busy publishing', async () => {
    await record('busy-1');
    const before = await streamCount();
    let relay: OutboxRelay | undefined;
    await withOutboxLocked(async () => {
      ({ relay } = await startRelay('relay_busy', NEVER_MS));
      await until('the first event is on the stream', async () => (await streamCount()) === before + 1);
      // The next commit wakes it; its drain then waits on our lock to delete the first row.
      await record('busy-2');
      await until('relay_busy waits on our lock', () => waitsOnLock('relay_busy'));
      await record('busy-3');
    });
    await until('the events committed while it was busy are on the stream', async () => (await streamCount()) === before + 3);
    await within(relay?.stop() ?? Promise.resolve(), 5_000, 'stop of a sleeping relay');
    expect(await outboxCount()).toBe(0);
  });

  it('stops promptly when asked in the middle of a publish', async () => {
    await record('stop-1');
    const before = await streamCount();
    let stopping: Promise<void> | undefined;
    await withOutboxLocked(async () => {
      const { relay } = await startRelay('relay_stop', NEVER_MS);
      await until('the event is on the stream', async () => (await streamCount()) === before + 1);
      await record('stop-2');
      await until('relay_stop waits on our lock', () => waitsOnLock('relay_stop'));
      stopping = relay.stop();
    });
    await within(stopping ?? Promise.resolve(), 10_000, 'stop in the middle of a publish');
    await until('relay_stop’s session has ended', async () => (await session('relay_stop')) === undefined);
  });
});

import type { EventMeta } from '@headlesskey/contracts';
import { type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { ensureEventStream } from '../bus/event-stream.js';
import { createLogger } from '../logging/logger.js';
import { databaseUrl, openStore, type Store } from './database.js';
import { type NewEvent, recordEvents, type StoreScope } from './event-store.js';
import { type OutboxRelay, startOutboxRelay } from './outbox-relay.js';

const names = uniqueInstance();
const { databaseUrl: serverUrl, natsUrl } = backendUrls();
const database = names.database('tokens');
const scope: StoreScope = { service: 'tokens', names };
const logger = createLogger('test', 'silent');
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const issued = (n: number): NewEvent => ({ type: 'token.issued', data: { n } });
const revoked = (n: number): NewEvent => ({ type: 'token.revoked', data: { n } });

let store: Store;
let nc: NatsConnection;
let jsm: JetStreamManager;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  store = await openStore({ serverUrl, database, entities: [], migrations: [], logger });
  nc = await connect({ servers: natsUrl });
  await ensureEventStream(nc, names);
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await store?.close();
  await nc?.close();
  await dropInstance(names);
});

function startRelay(vacuumAfterRows?: number): OutboxRelay {
  const relay = startOutboxRelay({ nc, databaseUrl: databaseUrl(serverUrl, database), logger, pollMs: 50, vacuumAfterRows });
  relays.push(relay);
  return relay;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const streamCount = async () => (await jsm.streams.info(names.eventStream)).state.messages;

async function outbox() {
  return store.db.execute<{ event_id: string; subject: string; payload: Record<string, unknown> }[]>(
    'select event_id, subject, payload from outbox order by position',
  );
}

const record = (streamId: string, events: NewEvent[], meta: EventMeta = {}) => recordEvents(store, scope, streamId, events, meta);

/** Records one event and lets a relay put it on the stream; returns the stored message. */
async function publishedEvent(streamId: string) {
  const before = await streamCount();
  await record(streamId, [issued(0)]);
  const relay = startRelay();
  await until('the event is on the stream', async () => (await streamCount()) === before + 1 && (await outbox()).length === 0);
  await relay.stop();
  const msg = await jsm.streams.getMessage(names.eventStream, { seq: before + 1 });
  if (!msg) throw new Error('published event not found');
  return msg;
}

describe('outbox relay', () => {
  it('publishes committed rows in position order, with Nats-Msg-Id = event id, and deletes them', async () => {
    const before = await streamCount();
    await record('session-a', [issued(1)], { traceparent: TRACEPARENT });
    await record('session-b', [issued(2), revoked(3)]);
    await record('session-a', [revoked(4)]);
    await record('session-b', [issued(5)]);
    const queued = await outbox();
    expect(queued).toHaveLength(5);

    const relay = startRelay();
    await until(
      'five events are on the stream and the outbox is empty',
      async () => (await streamCount()) === before + 5 && (await outbox()).length === 0,
    );
    await relay.stop();

    for (const [i, row] of queued.entries()) {
      const msg = await jsm.streams.getMessage(names.eventStream, { seq: before + i + 1 });
      expect(msg?.subject).toBe(row.subject);
      expect(msg?.header.get('Nats-Msg-Id')).toBe(row.event_id);
      expect(msg?.json()).toEqual(row.payload);
    }
    expect(queued.map((r) => (r.payload.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
    // The event's trace goes with it, as a header where it has one.
    expect((await jsm.streams.getMessage(names.eventStream, { seq: before + 1 }))?.header.get('traceparent')).toBe(TRACEPARENT);
    expect((await jsm.streams.getMessage(names.eventStream, { seq: before + 2 }))?.header.has('traceparent')).toBe(false);
    expect(queued.map((r) => r.subject)).toEqual([
      names.event('tokens', 'token.issued'),
      names.event('tokens', 'token.issued'),
      names.event('tokens', 'token.revoked'),
      names.event('tokens', 'token.revoked'),
      names.event('tokens', 'token.issued'),
    ]);
  });

  it('lets the stream drop a re-publish of the same event id', async () => {
    const published = await publishedEvent('session-dup');
    const before = await streamCount();
    const ack = await jetstream(nc).publish(published.subject, published.data, { msgID: published.header.get('Nats-Msg-Id') });
    expect(ack.duplicate).toBe(true);
    expect(ack.seq).toBe(published.seq);
    expect(await streamCount()).toBe(before);
  });

  it('re-publishes a row left behind by a crash after publishing, and the stream drops it', async () => {
    const published = await publishedEvent('session-crash');
    const before = await streamCount();
    // What a relay dying between publish and delete leaves: a row whose event is already on the stream.
    await store.db.execute('insert into outbox (event_id, subject, payload) values (?, ?, ?::jsonb)', [
      published.header.get('Nats-Msg-Id'),
      published.subject,
      published.string(),
    ]);

    const relay = startRelay();
    await until('the outbox is empty', async () => (await outbox()).length === 0);
    await relay.stop();
    expect(await streamCount()).toBe(before);
  });

  it('publishes a row committed while no relay ran once one starts again', async () => {
    const before = await streamCount();
    const [event] = await record('session-c', [issued(6)]);
    expect(await outbox()).toHaveLength(1);

    const relay = startRelay();
    await until('the event is on the stream', async () => (await streamCount()) === before + 1);
    await relay.stop();
    const last = await jsm.streams.getMessage(names.eventStream, { seq: before + 1 });
    expect(last?.header.get('Nats-Msg-Id')).toBe(event?.id);
    expect(await outbox()).toEqual([]);
  });

  it('publishes the rows of many transactions, past one batch, all in order', async () => {
    const before = await streamCount();
    for (let i = 0; i < 30; i++)
      await record(
        `bulk-${i % 3}`,
        Array.from({ length: 10 }, (_, j) => issued(i * 10 + j)),
      );
    const queued = await outbox();
    expect(queued).toHaveLength(300);

    const relay = startRelay();
    await until('300 more events are on the stream', async () => (await streamCount()) === before + 300, 30_000);
    await relay.stop();
    const ids: string[] = [];
    for (let seq = before + 1; seq <= before + 300; seq++) {
      ids.push((await jsm.streams.getMessage(names.eventStream, { seq }))?.header.get('Nats-Msg-Id') ?? '');
    }
    expect(ids).toEqual(queued.map((r) => r.event_id));
    expect(await outbox()).toEqual([]);
  });

  it('keeps every row of a drain whose publish failed, and goes on once the row is fixed', async () => {
    const before = await streamCount();
    await store.db.execute('insert into outbox (event_id, subject, payload) values (gen_random_uuid(), ?, ?::jsonb)', [
      `${names.instance}.nowhere`,
      '{}',
    ]);
    const [event] = await record('session-after', [issued(7)]);

    const relay = startRelay();
    // A drain sent both; the stream took the event, refused the other, and nothing was deleted.
    await until('the event behind the refused row is on the stream', async () => (await streamCount()) === before + 1);
    expect((await outbox()).map((r) => r.subject)).toEqual([`${names.instance}.nowhere`, names.event('tokens', 'token.issued')]);

    await store.db.execute('update outbox set subject = ? where subject = ?', [
      names.event('tokens', 'token.issued'),
      `${names.instance}.nowhere`,
    ]);
    await until('the outbox is empty', async () => (await outbox()).length === 0);
    await relay.stop();
    const ids = [];
    for (let seq = before + 1; seq <= (await streamCount()); seq++) {
      ids.push((await jsm.streams.getMessage(names.eventStream, { seq }))?.header.get('Nats-Msg-Id'));
    }
    // Published once however many drains sent it: the stream dropped the re-sends.
    expect(ids.filter((id) => id === event?.id)).toHaveLength(1);
  });

  it('vacuums the outbox after the rows it deletes, so drains never walk a growing pile of dead rows', async () => {
    const vacuums = async () =>
      Number(
        (await store.db.execute<{ n: string }[]>("select vacuum_count as n from pg_stat_user_tables where relname = 'outbox'"))[0]?.n ?? 0,
      );
    const before = await vacuums();
    for (let i = 0; i < 3; i++) await record(`vacuumed-${i}`, [issued(i), issued(i + 1), issued(i + 2), issued(i + 3), issued(i + 4)]);
    const relay = startRelay(10);
    await until('the outbox is empty', async () => (await outbox()).length === 0);
    await until('the outbox was vacuumed', async () => (await vacuums()) > before);
    await relay.stop();
  });
});

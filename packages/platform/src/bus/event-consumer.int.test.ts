import type { EventEnvelope, Names } from '@headlesskey/contracts';
import { AckPolicy, type ConsumerInfo, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { createLogger } from '../logging/logger.js';
import { decodeJson, encodeJson } from './codec.js';
import { ack, type Outcome, poison, type RunningConsumer, retry, runEventConsumer } from './event-consumer.js';
import { ensureEventStream } from './event-stream.js';

const { natsUrl } = backendUrls();
const logger = createLogger('test', 'silent');
const DURABLE = 'test_consumer';
const instances: Names[] = [];
const consumers: RunningConsumer[] = [];
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  nc = await connect({ servers: natsUrl });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await nc?.close();
  for (const names of instances) await dropInstance(names);
});

interface DeadLetter {
  reason: string;
  subject: string;
  seq: number;
  data: string;
}

/** A fresh instance with its own event stream, a consumer on it, and what lands on its dead-letter subject. */
async function fixture(handle: (event: EventEnvelope) => Promise<Outcome>, maxDeliver?: number) {
  const names = uniqueInstance();
  instances.push(names);
  await ensureEventStream(nc, names);
  const deadLetters: DeadLetter[] = [];
  nc.subscribe(names.deadLetter(DURABLE), {
    callback: (_err, msg) => {
      deadLetters.push(decodeJson(msg.data) as DeadLetter);
    },
  });
  await nc.flush();
  const consumer = await runEventConsumer({ nc, names, durable: DURABLE, handle, logger, maxDeliver });
  consumers.push(consumer);
  const subject = names.event('identity', 'user.registered');
  const publish = async (body: unknown) => (await jetstream(nc).publish(subject, typeof body === 'string' ? body : encodeJson(body))).seq;
  const info = () => jsm.consumers.info(names.eventStream, DURABLE);
  return { names, consumer, deadLetters, publish, info, subject };
}

function envelope(n: number): EventEnvelope {
  return {
    id: uuidv7(),
    type: 'user.registered',
    stream: `user-${n}`,
    version: 1,
    occurredAt: new Date().toISOString(),
    data: { n },
    meta: {},
  };
}

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Every event up to stream sequence `seq` is settled, and none is out unacked. Dead letters land
 * in the same stream: one stored after the last event can carry the consumer's ack floor past
 * that event, so the floor is compared with `>=`, never `===`.
 */
function settledThrough(info: ConsumerInfo, seq: number): boolean {
  return info.ack_floor.stream_seq >= seq && info.num_ack_pending === 0;
}

describe('runEventConsumer', () => {
  it('hands an event to the handler once and acks it', async () => {
    const handled: string[] = [];
    const f = await fixture(async (event) => {
      handled.push(event.id);
      return ack;
    });
    const first = envelope(1);
    await f.publish(first);
    await until('the first event is acked', async () => settledThrough(await f.info(), 1));
    const info = await f.info();
    expect(info.delivered.consumer_seq).toBe(1);
    expect(info.num_redelivered).toBe(0);
    expect(info.num_ack_pending).toBe(0);

    const second = envelope(2);
    await f.publish(second);
    await until('the second event is acked', async () => settledThrough(await f.info(), 2));
    expect(handled).toEqual([first.id, second.id]);
    expect(f.deadLetters).toEqual([]);
  });

  it('gets an event again, no sooner than asked, after the handler answers retry(delay)', async () => {
    const deliveries: { id: string; at: number }[] = [];
    const f = await fixture(async (event) => {
      deliveries.push({ id: event.id, at: Date.now() });
      return deliveries.length === 1 ? retry(300) : ack;
    });
    const event = envelope(1);
    await f.publish(event);
    await until('the event is acked', async () => settledThrough(await f.info(), 1));
    expect(deliveries.map((d) => d.id)).toEqual([event.id, event.id]);
    expect((deliveries[1]?.at ?? 0) - (deliveries[0]?.at ?? 0)).toBeGreaterThanOrEqual(250);
    expect(f.deadLetters).toEqual([]);
  });

  it('retries a handler that throws, then dead-letters the event after maxDeliver, and goes on', async () => {
    const attempts = new Map<string, number>();
    const doomed = envelope(1);
    const f = await fixture(async (event) => {
      attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
      if (event.id === doomed.id) throw new Error('projection table is gone');
      return ack;
    }, 3);
    await f.publish(doomed);
    await until('the event is dead-lettered', () => f.deadLetters.length === 1);
    expect(attempts.get(doomed.id)).toBe(3);
    expect(f.deadLetters).toEqual([{ reason: 'gave up after retries', subject: f.subject, seq: 1, data: JSON.stringify(doomed) }]);

    const next = envelope(2);
    const seq = await f.publish(next);
    await until('the next event is acked', async () => settledThrough(await f.info(), seq));
    expect(attempts.get(next.id)).toBe(1);
    expect(attempts.get(doomed.id)).toBe(3);
    expect((await f.info()).num_ack_pending).toBe(0);
  });

  it('holds an event through a database outage longer than maxDeliver allows, then handles it', async () => {
    let calls = 0;
    const outage = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const f = await fixture(async () => {
      calls += 1;
      if (calls <= 5) throw outage();
      return ack;
    }, 2);
    const seq = await f.publish(envelope(1));
    await until('the event is acked', async () => settledThrough(await f.info(), seq));
    expect(calls).toBe(6);
    expect(f.deadLetters).toEqual([]);
    // Held, not handed back: the server delivered it once.
    expect((await f.info()).num_redelivered).toBe(0);
  });

  it('dead-letters an event the handler calls poison, at once and with its reason', async () => {
    let calls = 0;
    const f = await fixture(async () => {
      calls++;
      return poison('unknown schema version');
    });
    const event = envelope(1);
    await f.publish(event);
    await until('the event is dead-lettered', () => f.deadLetters.length === 1);
    expect(f.deadLetters[0]).toMatchObject({ reason: 'unknown schema version', seq: 1 });
    await until('the event is terminated', async () => settledThrough(await f.info(), 1));
    expect(calls).toBe(1);
  });

  it('dead-letters bytes that are not JSON, or not an envelope, without the handler, and goes on', async () => {
    const handled: string[] = [];
    const f = await fixture(async (event) => {
      handled.push(event.id);
      return ack;
    });
    const truncated = await f.publish('{"id": "truncated');
    const notEnvelope = await f.publish({ hello: 'world' });
    const badVersion = await f.publish({ ...envelope(0), version: 0 });
    const good = envelope(1);
    const seq = await f.publish(good);
    await until('the good event is acked', async () => settledThrough(await f.info(), seq));
    expect(handled).toEqual([good.id]);
    expect(f.deadLetters.map((d) => [d.reason, d.seq])).toEqual([
      ['not JSON', truncated],
      ['not an event envelope', notEnvelope],
      ['not an event envelope', badVersion],
    ]);
    expect(f.deadLetters[0]?.data).toBe('{"id": "truncated');
  });
});

describe('stopping and restarting a consumer', () => {
  it('stop() waits for the event being handled, which is still acked', async () => {
    const order: string[] = [];
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const f = await fixture(async () => {
      started();
      await released;
      order.push('handled');
      return ack;
    });
    await f.publish(envelope(1));
    await handlerStarted;
    const stopped = f.consumer.stop().then(() => order.push('stopped'));
    await nc.flush();
    expect(order).toEqual([]);
    release();
    await stopped;
    expect(order).toEqual(['handled', 'stopped']);
    await until('the event is acked', async () => settledThrough(await f.info(), 1));
  });

  it('stop() returns when idle; a restart resumes after the last ack, with the new limits', async () => {
    const handled: number[] = [];
    const handle = async (event: EventEnvelope) => {
      handled.push(event.data.n as number);
      return ack;
    };
    const f = await fixture(handle, 20);
    await f.publish(envelope(1));
    await until('the first event is acked', async () => settledThrough(await f.info(), 1));
    await f.consumer.stop();

    await f.publish(envelope(2));
    const again = await runEventConsumer({ nc, names: f.names, durable: DURABLE, handle, logger, maxDeliver: 5 });
    consumers.push(again);
    await until('the second event is acked', async () => settledThrough(await f.info(), 2));
    expect(handled).toEqual([1, 2]);
    expect((await f.info()).config.max_deliver).toBe(5);
    await again.stop();
  });

  /** A batch consumer on a fresh instance: the batches it saw, by each event's `data.n`. */
  async function batchConsumer(names: Names, outcome: (event: EventEnvelope) => Outcome, lingerMs?: number) {
    const batches: number[][] = [];
    const consumer = await runEventConsumer({
      nc,
      names,
      durable: DURABLE,
      logger,
      lingerMs,
      handleBatch: async (events) => {
        batches.push(events.map((e) => e.data.n as number));
        return events.map(outcome);
      },
    });
    consumers.push(consumer);
    const settled = (seq: number) =>
      until(`event ${seq} is settled`, async () => settledThrough(await jsm.consumers.info(names.eventStream, DURABLE), seq));
    return { batches, settled };
  }

  async function freshStream(): Promise<Names> {
    const names = uniqueInstance();
    instances.push(names);
    await ensureEventStream(nc, names);
    return names;
  }

  it('hands events that arrived together to handleBatch in stream order, settling each by its own outcome', async () => {
    const names = await freshStream();
    const deadLetters: DeadLetter[] = [];
    nc.subscribe(names.deadLetter(DURABLE), { callback: (_err, msg) => deadLetters.push(decodeJson(msg.data) as DeadLetter) });
    await nc.flush();
    const subject = names.event('identity', 'user.registered');
    const sent = Array.from({ length: 60 }, (_, i) => envelope(i));
    for (const event of sent.slice(0, 30)) await jetstream(nc).publish(subject, encodeJson(event));
    await jetstream(nc).publish(subject, 'not json');
    for (const event of sent.slice(30)) await jetstream(nc).publish(subject, encodeJson(event));

    const { batches, settled } = await batchConsumer(names, (e) => (e.data.n === 7 ? poison('seven is refused') : ack));
    await settled(61);

    expect(batches.flat()).toEqual(sent.map((e) => e.data.n));
    expect(batches.length).toBeLessThan(sent.length / 2);
    expect(deadLetters.map((d) => d.reason).sort()).toEqual(['not JSON', 'seven is refused']);
    const info = await jsm.consumers.info(names.eventStream, DURABLE);
    expect(info.num_redelivered).toBe(0);
  });

  it('handles the last events of a long burst at once, not when a pull expires', async () => {
    const names = await freshStream();
    const subject = names.event('identity', 'user.registered');
    const sent = Array.from({ length: 3000 }, (_, i) => envelope(i));
    // More than ten pulls of 256: the consumer starts with the whole burst waiting.
    for (let i = 0; i < sent.length; i += 500) {
      await Promise.all(sent.slice(i, i + 500).map((event) => jetstream(nc).publish(subject, encodeJson(event))));
    }
    const started = Date.now();
    const { batches, settled } = await batchConsumer(names, () => ack, 25);
    await settled(sent.length);
    // A tail held back until the pull's 30 s expiry (or redelivered after ack_wait) fails here.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(batches.flat()).toHaveLength(sent.length);
    expect((await jsm.consumers.info(names.eventStream, DURABLE)).num_redelivered).toBe(0);
  });

  it('bounds the events out unacked, on a new durable and on one made with other limits', async () => {
    const names = await freshStream();
    await jsm.consumers.add(names.eventStream, { durable_name: DURABLE, ack_policy: AckPolicy.Explicit, max_ack_pending: 5 });
    await batchConsumer(names, () => ack);
    expect((await jsm.consumers.info(names.eventStream, DURABLE)).config.max_ack_pending).toBe(1024);
    const fresh = await freshStream();
    await batchConsumer(fresh, () => ack);
    expect((await jsm.consumers.info(fresh.eventStream, DURABLE)).config.max_ack_pending).toBe(1024);
  });

  it('with lingerMs, waits that long after the first event for more to join its batch', async () => {
    const names = await freshStream();
    const { batches, settled } = await batchConsumer(names, () => ack, 300);
    const subject = names.event('identity', 'user.registered');
    await jetstream(nc).publish(subject, encodeJson(envelope(1)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await jetstream(nc).publish(subject, encodeJson(envelope(2)));
    await settled(2);
    expect(batches).toEqual([[1, 2]]);
  });
});

import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { ensureEventStream } from './event-stream.js';
import { type StreamMessage, StreamPublishError, StreamPublisher } from './stream-publisher.js';

const names = uniqueInstance();
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
let nc: NatsConnection;
let jsm: JetStreamManager;
let publisher: StreamPublisher;

beforeAll(async () => {
  nc = await connect({ servers: backendUrls().natsUrl });
  await ensureEventStream(nc, names);
  jsm = await jetstreamManager(nc);
  publisher = new StreamPublisher(nc);
});

afterAll(async () => {
  publisher?.close();
  await nc?.close();
  await dropInstance(names);
});

const stored = async () => (await jsm.streams.info(names.eventStream)).state.messages;
const message = (n: number, extra: Partial<StreamMessage> = {}): StreamMessage => ({
  subject: names.event('tokens', 'token.issued'),
  payload: JSON.stringify({ n }),
  msgId: `${names.instance}-${n}`,
  ...extra,
});

describe('StreamPublisher', () => {
  it('stores every message of a batch in order, with its id and trace, before it resolves', async () => {
    const before = await stored();
    const batch = Array.from({ length: 300 }, (_, n) => message(n, n === 0 ? { traceparent: TRACEPARENT } : {}));
    await publisher.publishAll(batch, 5000);
    expect(await stored()).toBe(before + 300);
    for (const seq of [1, 2, 300]) {
      const msg = await jsm.streams.getMessage(names.eventStream, { seq: before + seq });
      expect(msg?.json()).toEqual({ n: seq - 1 });
      expect(msg?.header.get('Nats-Msg-Id')).toBe(`${names.instance}-${seq - 1}`);
    }
    expect((await jsm.streams.getMessage(names.eventStream, { seq: before + 1 }))?.header.get('traceparent')).toBe(TRACEPARENT);
    expect((await jsm.streams.getMessage(names.eventStream, { seq: before + 2 }))?.header.has('traceparent')).toBe(false);
  });

  it('resolves for a message the stream already holds, and stores it once', async () => {
    await publisher.publishAll([message(1000)], 5000);
    const before = await stored();
    await publisher.publishAll([message(1000), message(1001)], 5000);
    expect(await stored()).toBe(before + 1);
  });

  it('rejects a batch with a message no stream takes', async () => {
    const nowhere = message(2000, { subject: `${names.instance}.nowhere` });
    const started = Date.now();
    const refused = publisher.publishAll([message(2001), nowhere], 5000);
    await expect(refused).rejects.toThrow(StreamPublishError);
    // Refused by the server's "no responders" status, not left to time out.
    await expect(refused).rejects.toThrow(/status 503/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects a batch whose ack does not come in time', async () => {
    // A plain subscriber takes the message and never answers: no stream ack, no "no responders".
    const silent = nc.subscribe(`${names.instance}.silent`);
    await nc.flush();
    const started = Date.now();
    await expect(publisher.publishAll([message(3000, { subject: `${names.instance}.silent` })], 200)).rejects.toThrow(
      /no ack within 200 ms/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    silent.unsubscribe();
  });

  it('rejects a batch at once when the connection is closed', async () => {
    const closed = await connect({ servers: backendUrls().natsUrl });
    const other = new StreamPublisher(closed);
    await closed.close();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const started = Date.now();
    await expect(other.publishAll([message(5000)], 60_000)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
    // Nothing left waiting for the batch's timeout.
    expect(timers()).toBe(before);
  });

  it('rejects what is still waiting when it closes', async () => {
    const other = new StreamPublisher(nc);
    const silent = nc.subscribe(`${names.instance}.silent2`);
    await nc.flush();
    const waiting = other.publishAll([message(4000, { subject: `${names.instance}.silent2` })], 60_000);
    other.close();
    await expect(waiting).rejects.toThrow(/publisher closed/);
    silent.unsubscribe();
  });
});

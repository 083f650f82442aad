import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { ensureEventStream } from './event-stream.js';

const names = uniqueInstance();
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: backendUrls().natsUrl });
});

afterAll(async () => {
  await nc?.close();
  await dropInstance(names);
});

describe('ensureEventStream', () => {
  it('creates the instance’s stream for its events and dead letters, with a ten-minute duplicate window', async () => {
    await ensureEventStream(nc, names);
    const { config } = await (await jetstreamManager(nc)).streams.info(names.eventStream);
    expect(config.subjects).toEqual([names.events, `${names.instance}.dlq.>`]);
    expect(config.storage).toBe(StorageType.File);
    expect(config.num_replicas).toBe(1);
    expect(config.duplicate_window).toBe(nanos(10 * 60_000));
  });

  it('brings an existing stream back to that configuration, keeping its messages', async () => {
    const jsm = await jetstreamManager(nc);
    const { config } = await jsm.streams.info(names.eventStream);
    await jsm.streams.update(names.eventStream, { ...config, duplicate_window: nanos(60_000) });
    await jetstream(nc).publish(names.event('identity', 'user.registered'), 'kept');
    await ensureEventStream(nc, names);
    const info = await jsm.streams.info(names.eventStream);
    expect(info.config.duplicate_window).toBe(nanos(10 * 60_000));
    expect(info.state.messages).toBe(1);
  });
});

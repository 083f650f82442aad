import type { CommandDef } from '@headlesskey/contracts';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, uniqueInstance } from '../../../../test/support/instance.js';
import { createLogger } from '../logging/logger.js';
import { createCommandClient } from './command-client.js';
import { type CommandServer, createCommandServer } from './command-server.js';

const work = Object.freeze({
  service: 'tokens',
  name: 'work',
  request: Type.Object({ id: Type.Integer() }),
  reply: Type.Object({ id: Type.Integer(), replica: Type.String() }),
}) satisfies CommandDef;

const { natsUrl } = backendUrls();
const logger = createLogger('test', 'silent');
const buses: NatsConnection[] = [];
const servers: CommandServer[] = [];

async function bus(): Promise<NatsConnection> {
  const nc = await connect({ servers: natsUrl });
  buses.push(nc);
  return nc;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(buses.map((nc) => nc.close()));
});

describe('command server replicas', () => {
  const names = uniqueInstance();
  const handled: { replica: string; id: number }[] = [];

  beforeAll(async () => {
    for (const replica of ['one', 'two']) {
      const nc = await bus();
      const server = createCommandServer(nc, names, 'tokens', logger).on(work, async ({ id }) => {
        handled.push({ replica, id });
        return { id, replica };
      });
      server.listen();
      servers.push(server);
      await nc.flush();
    }
  });

  it('share the load of one queue group, each request answered once', async () => {
    const client = createCommandClient(await bus(), names);
    const ids = Array.from({ length: 20 }, (_, i) => i);
    const replies = await Promise.all(ids.map((id) => client.send(work, { id })));

    for (const [id, reply] of replies.entries()) expect(reply).toMatchObject({ ok: true, data: { id } });
    expect(handled.map((h) => h.id).sort((a, b) => a - b)).toEqual(ids);
    // A replica is picked at random per request: one getting all 20 has odds of 2 in a million.
    expect(handled.filter((h) => h.replica === 'one').length).toBeGreaterThan(0);
    expect(handled.filter((h) => h.replica === 'two').length).toBeGreaterThan(0);
  });
});

describe('command server close', () => {
  const names = uniqueInstance();

  it('waits for the handler in flight, whose reply still arrives, then takes no more', async () => {
    const order: string[] = [];
    let started!: () => void;
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const nc = await bus();
    const server = createCommandServer(nc, names, 'tokens', logger).on(work, async ({ id }) => {
      started();
      await released;
      order.push('handler finished');
      return { id, replica: 'closing' };
    });
    server.listen();
    await nc.flush();
    const clientBus = await bus();
    const client = createCommandClient(clientBus, names);

    const reply = client.send(work, { id: 1 });
    await handlerStarted;
    const closed = server.close().then(() => order.push('closed'));
    // A round trip through the NATS server later, close() is still waiting for the handler.
    await nc.flush();
    await clientBus.flush();
    expect(order).toEqual([]);

    release();
    await closed;
    expect(order).toEqual(['handler finished', 'closed']);
    expect(await reply).toEqual({ ok: true, data: { id: 1, replica: 'closing' } });
    expect(await client.send(work, { id: 2 })).toEqual({ ok: false, error: { code: 'headlesskey_unavailable' } });
  });
});

import type { CommandDef } from '@headlesskey/contracts';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { Type } from '@sinclair/typebox';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { backendUrls, uniqueInstance } from '../../../../test/support/instance.js';
import { withTestStore } from '../../../../test/support/store.js';
import { eventually } from '../../../../test/support/users.js';
import { commandReplies } from '../idempotency/command-replies.js';
import { createLogger } from '../logging/logger.js';
import type { Store } from '../store/database.js';
import { createCommandClient } from './command-client.js';
import { type CommandServer, createCommandServer } from './command-server.js';
import { createHedgePolicy } from './hedge.js';
import { processLiveness } from './liveness.js';

const request = Type.Object({ id: Type.Integer() });
const reply = Type.Object({ id: Type.Integer() });
const look = Object.freeze({ service: 'tokens', name: 'look', request, reply, readOnly: true }) satisfies CommandDef;
const write = Object.freeze({ service: 'tokens', name: 'write', request, reply }) satisfies CommandDef;

const { natsUrl } = backendUrls();
const logger = createLogger('test', 'silent');
const TIMEOUT_MS = 2000;
const buses: NatsConnection[] = [];
let servers: CommandServer[] = [];

async function bus(): Promise<NatsConnection> {
  const nc = await connect({ servers: natsUrl });
  buses.push(nc);
  return nc;
}

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(async () => {
  await Promise.all(buses.map((nc) => nc.close()));
});

/**
 * A replica that takes a command from the queue group and dies with it: it never answers. Once
 * it holds one, it is gone and a working replica serves the group.
 */
async function replicaDyingWithTheFirstCommand(names: ReturnType<typeof uniqueInstance>) {
  const taken: Msg[] = [];
  const answered: number[] = [];
  const nc = await bus();
  const silent: Subscription = nc.subscribe(names.commands('tokens'), { queue: 'tokens', callback: (_err, msg) => taken.push(msg) });
  await nc.flush();
  const replaced = (async () => {
    await eventually(async () => (taken.length > 0 ? true : undefined), TIMEOUT_MS, 'the silent replica to take the command');
    silent.unsubscribe();
    const good = await bus();
    const handle = async ({ id }: { id: number }) => {
      answered.push(id);
      return { id };
    };
    const server = createCommandServer(good, names, 'tokens', logger).on(look, handle).on(write, handle);
    server.listen();
    servers.push(server);
    await good.flush();
  })();
  return { taken, answered, replaced };
}

describe('a read-only command', () => {
  it('is sent again when a replica took it and never answers, and answered within its deadline', async () => {
    const names = uniqueInstance();
    const replica = await replicaDyingWithTheFirstCommand(names);
    const client = createCommandClient(await bus(), names, TIMEOUT_MS, createHedgePolicy({ initialDelayMs: 200 }));

    const started = Date.now();
    const answer = await client.send(look, { id: 7 });
    await replica.replaced;

    expect(answer).toEqual({ ok: true, data: { id: 7 } });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(replica.taken).toHaveLength(1);
    expect(replica.taken[0]?.headers?.get('hk-attempt')).toBe('1');
    expect(replica.answered).toEqual([7]);
  });

  it('still answers unavailable at once when nobody serves it', async () => {
    const client = createCommandClient(await bus(), uniqueInstance(), TIMEOUT_MS);
    const started = Date.now();
    expect(await client.send(look, { id: 1 })).toEqual({ ok: false, error: { code: 'headlesskey_unavailable' } });
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('a command that writes', () => {
  let store: Store;
  const { names } = withTestStore((s) => {
    store = s;
  });

  /** A replica that runs commands sent with a key once, in the shared store. */
  async function replica(handle: (payload: { id: number }) => Promise<{ id: number }>) {
    const nc = await bus();
    const replies = commandReplies(store.db, processLiveness(nc, names, 'tokens'));
    const server = createCommandServer(nc, names, 'tokens', logger, replies).on(write, handle);
    server.listen();
    await nc.flush();
    return { nc, server };
  }

  it('sent with a key, is sent again when its replica dies with it, and runs once on another', async () => {
    let taken!: () => void;
    const takenByFirst = new Promise<void>((resolve) => {
      taken = resolve;
    });
    // The first replica takes the command and never answers: it is killed in it.
    const dying = await replica(() => {
      taken();
      return new Promise<never>(() => {});
    });
    const runs: number[] = [];
    const client = createCommandClient(await bus(), names, TIMEOUT_MS, createHedgePolicy({ initialDelayMs: 200 }));

    const started = Date.now();
    const answer = client.send(write, { id: 9 }, undefined, { commandKey: 'key-of-a-write' });
    await takenByFirst;
    const survivor = await replica(async ({ id }) => {
      runs.push(id);
      return { id };
    });
    servers.push(survivor.server);
    await dying.nc.close();

    expect(await answer).toEqual({ ok: true, data: { id: 9 } });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(runs).toEqual([9]);
  });

  it('is sent once without a key: a replica that dies with it leaves it unanswered until the deadline', async () => {
    const names = uniqueInstance();
    const replica = await replicaDyingWithTheFirstCommand(names);
    const client = createCommandClient(await bus(), names, TIMEOUT_MS, createHedgePolicy({ initialDelayMs: 200 }));

    const started = Date.now();
    const answer = await client.send(write, { id: 8 });
    await replica.replaced;

    expect(answer).toEqual({ ok: false, error: { code: 'headlesskey_unavailable' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(replica.taken).toHaveLength(1);
    expect(replica.answered).toEqual([]);
  });
});

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
import { recentReplicas } from './replicas.js';

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

describe('a command sent again', () => {
  /** One repeat per command sent one at a time: the budget holds one extra attempt, and each command earns one. */
  const oneRepeatEach = () => createHedgePolicy({ initialDelayMs: 100, ratio: 1, burst: 1 });
  const COMMANDS = 20;

  /** A replica in the queue group that takes its share of the commands and answers none: stopped. */
  async function stoppedReplica(names: ReturnType<typeof uniqueInstance>) {
    const taken: Msg[] = [];
    const nc = await bus();
    nc.subscribe(names.commands('tokens'), { queue: 'tokens', callback: (_err, msg) => taken.push(msg) });
    await nc.flush();
    return taken;
  }

  /** A replica that answers. */
  async function answeringReplica(names: ReturnType<typeof uniqueInstance>) {
    const nc = await bus();
    const server = createCommandServer(nc, names, 'tokens', logger).on(look, async ({ id }) => ({ id }));
    servers.push(server);
    server.listen();
    await nc.flush();
  }

  const ids = (from: number) => Array.from({ length: COMMANDS }, (_, i) => from + i);
  const answersOf = (from: number) => ids(from).map((id) => ({ ok: true, data: { id } }));

  it('goes to the replica that answered last, not back to one that takes commands and answers none', async () => {
    const names = uniqueInstance();
    await answeringReplica(names);
    const client = createCommandClient(await bus(), names, TIMEOUT_MS, oneRepeatEach());
    expect(await client.send(look, { id: 0 })).toEqual({ ok: true, data: { id: 0 } });
    const taken = await stoppedReplica(names);

    const answers = [];
    for (const id of ids(1)) answers.push(await client.send(look, { id }));

    // About half the first attempts went to the stopped replica; sent again at random, a quarter
    // of all the commands would have gone to it twice, and failed.
    expect(taken.length).toBeGreaterThan(0);
    expect(answers).toEqual(answersOf(1));
  });

  it('passes over a replica that answered last and has since gone, at once and at no cost', async () => {
    const names = uniqueInstance();
    await answeringReplica(names);
    const replicas = recentReplicas();
    const client = createCommandClient(await bus(), names, TIMEOUT_MS, oneRepeatEach(), replicas);
    expect((await client.send(look, { id: 0 })).ok).toBe(true);
    const taken = await stoppedReplica(names);

    const answers = [];
    for (const id of ids(1)) {
      // Before each command, a replica answered last whose subject nobody listens on any more.
      replicas.answered('tokens', 'departed');
      answers.push(await client.send(look, { id }));
    }

    // Each command the stopped replica took was sent on to the departed one, then to the one that answers.
    expect(taken.length).toBeGreaterThan(0);
    expect(answers).toEqual(answersOf(1));
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

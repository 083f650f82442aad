import type { CommandDef } from '@headlesskey/contracts';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueInstance } from '../../../../test/support/instance.js';
import { type PrivateNats, startPrivateNats } from '../../../../test/support/private-nats.js';
import { createLogger } from '../logging/logger.js';
import { createCommandClient } from './command-client.js';
import { type CommandServer, createCommandServer } from './command-server.js';

const look = Object.freeze({
  service: 'tokens',
  name: 'look',
  request: Type.Object({ id: Type.Integer() }),
  reply: Type.Object({ id: Type.Integer() }),
  readOnly: true,
}) satisfies CommandDef;

const logger = createLogger('test', 'silent');
const TIMEOUT_MS = 8000;
const OUTAGE_MS = 1500;

/**
 * NATS restarts while commands are on their way: those sent while the connection was down are not
 * known to have left, and were seen to go unanswered once it was back, each waiting out its whole
 * deadline. Sent again on the reconnect, they are answered.
 */
describe('a command sent while NATS is away', () => {
  let nats: PrivateNats;
  const connections: NatsConnection[] = [];
  const servers: CommandServer[] = [];

  beforeAll(async () => {
    nats = await startPrivateNats();
  });
  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.close()));
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await nats?.stop();
  });

  /** The services reconnect first, so the client's commands find them when it is back. */
  const bus = async (reconnectTimeWait: number) => {
    const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait, reconnectJitter: 0 });
    connections.push(nc);
    return nc;
  };

  it('is sent again when the connection is back, and answered within its deadline', async () => {
    const names = uniqueInstance();
    for (let replica = 0; replica < 2; replica++) {
      const server = createCommandServer(await bus(50), names, 'tokens', logger).on(look, async ({ id }) => ({ id }));
      server.listen();
      servers.push(server);
    }
    const client = createCommandClient(await bus(500), names, TIMEOUT_MS);
    for (let id = 0; id < 20; id++) expect(await client.send(look, { id })).toEqual({ ok: true, data: { id } });

    await nats.halt();
    const sent = Array.from({ length: 5 }, (_, id) => client.send(look, { id }));
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await nats.start();

    expect(await Promise.all(sent)).toEqual(Array.from({ length: 5 }, (_, id) => ({ ok: true, data: { id } })));
  });
});

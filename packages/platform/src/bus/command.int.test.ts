import type { CommandDef } from '@headlesskey/contracts';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type TSchema, Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, uniqueInstance } from '../../../../test/support/instance.js';
import { createLogger } from '../logging/logger.js';
import { decodeJson, encodeJson } from './codec.js';
import { type CommandClient, createCommandClient } from './command-client.js';
import { type CommandServer, createCommandServer } from './command-server.js';
import { DomainError } from './domain-error.js';

const command = <Req extends TSchema, Rep extends TSchema>(
  name: string,
  request: Req,
  reply: Rep,
  service: CommandDef['service'] = 'identity',
) => Object.freeze({ service, name, request, reply }) satisfies CommandDef<Req, Rep>;

const EchoRequest = Type.Object({ text: Type.String({ minLength: 1 }), times: Type.Integer({ minimum: 1, maximum: 3 }) });
const EchoReply = Type.Object({ echoed: Type.String() });
const echo = command('echo', EchoRequest, EchoReply);
const refuseIt = command('refuse', Type.Object({ withMessage: Type.Boolean() }), EchoReply);
const crash = command('crash', Type.Object({}), EchoReply);
const slow = command('slow', Type.Object({}), EchoReply);
const broken = command('broken', Type.Object({}), EchoReply);
const unregistered = command('unregistered', Type.Object({}), EchoReply);
const nobodyServes = command('anything', Type.Object({}), EchoReply, 'audit');

const names = uniqueInstance();
const { natsUrl } = backendUrls();
const logger = createLogger('test', 'silent');
const received: unknown[] = [];
let releaseSlow!: () => void;
const slowReleased = new Promise<void>((resolve) => {
  releaseSlow = resolve;
});

let serverBus: NatsConnection;
let clientBus: NatsConnection;
let server: CommandServer;
let client: CommandClient;

beforeAll(async () => {
  serverBus = await connect({ servers: natsUrl });
  clientBus = await connect({ servers: natsUrl });
  server = createCommandServer(serverBus, names, 'identity', logger)
    .on(echo, async (payload) => {
      received.push(payload);
      return { echoed: payload.text.repeat(payload.times) };
    })
    .on(refuseIt, async ({ withMessage }) => {
      if (withMessage) throw new DomainError('headlesskey_user_exists', 'That name is taken.', { field: 'username' });
      throw new DomainError('headlesskey_forbidden');
    })
    .on(crash, async () => {
      throw new Error('connection string postgres://admin:hunter2@db leaked');
    })
    .on(slow, async () => {
      await slowReleased;
      return { echoed: 'late' };
    })
    .on(broken, async () => ({ echoed: 42 }) as unknown as { echoed: string });
  server.listen();
  // The subscription is on the server before the first request goes out.
  await serverBus.flush();
  client = createCommandClient(clientBus, names);
});

afterAll(async () => {
  releaseSlow();
  await server?.close();
  await serverBus?.close();
  await clientBus?.close();
});

/** The exact bytes a server answered, for what the client does not show. */
async function rawReply(subject: string, body: Uint8Array): Promise<unknown> {
  return decodeJson((await clientBus.request(subject, body, { timeout: 5000 })).data);
}

describe('command server and client', () => {
  it('hands a valid payload to the handler and brings its data back', async () => {
    received.length = 0;
    expect(await client.send(echo, { text: 'hi', times: 2 })).toEqual({ ok: true, data: { echoed: 'hihi' } });
    expect(received).toEqual([{ text: 'hi', times: 2 }]);
  });

  it('answers a payload that breaks the schema with rest_invalid_param, without calling the handler', async () => {
    received.length = 0;
    const tooMany = await client.send(echo, { text: 'hi', times: 9 });
    expect(tooMany).toEqual({ ok: false, error: { code: 'rest_invalid_param', details: { params: { '/times': expect.any(String) } } } });
    const missing = await client.send(echo, { times: 1 } as unknown as { text: string; times: number });
    expect(missing).toEqual({ ok: false, error: { code: 'rest_invalid_param', details: { params: { '/text': expect.any(String) } } } });
    expect(received).toEqual([]);
  });

  it('answers a DomainError with its code, message and details', async () => {
    expect(await client.send(refuseIt, { withMessage: true })).toEqual({
      ok: false,
      error: { code: 'headlesskey_user_exists', message: 'That name is taken.', details: { field: 'username' } },
    });
    expect(await rawReply(names.command('identity', 'refuse'), encodeJson({ withMessage: false }))).toStrictEqual({
      ok: false,
      error: { code: 'headlesskey_forbidden' },
    });
  });

  it('answers an unexpected throw with headlesskey_internal_error and nothing of the error', async () => {
    expect(await client.send(crash, {})).toEqual({ ok: false, error: { code: 'headlesskey_internal_error' } });
    const raw = await clientBus.request(names.command('identity', 'crash'), encodeJson({}), { timeout: 5000 });
    expect(raw.json()).toStrictEqual({ ok: false, error: { code: 'headlesskey_internal_error' } });
    expect(raw.string()).not.toMatch(/hunter2|postgres|Error|at /);
  });

  it('answers headlesskey_unavailable when nobody serves the command', async () => {
    expect(await client.send(nobodyServes, {})).toEqual({ ok: false, error: { code: 'headlesskey_unavailable' } });
  });

  it('answers headlesskey_unavailable when the handler is slower than the timeout', async () => {
    expect(await client.send(slow, {}, 200)).toEqual({ ok: false, error: { code: 'headlesskey_unavailable' } });
  });

  it('refuses a reply that breaks the reply schema', async () => {
    expect(await client.send(broken, {})).toEqual({
      ok: false,
      error: { code: 'headlesskey_internal_error', message: 'reply of identity.broken broke its schema' },
    });
  });

  it('answers a command it has no handler for with headlesskey_not_found', async () => {
    expect(await client.send(unregistered, {})).toEqual({
      ok: false,
      error: { code: 'headlesskey_not_found', message: 'Unknown command.' },
    });
  });

  it('answers bytes that are not JSON with headlesskey_invalid_json, without calling the handler', async () => {
    received.length = 0;
    const reply = await rawReply(names.command('identity', 'echo'), new TextEncoder().encode('{"text":'));
    expect(reply).toStrictEqual({ ok: false, error: { code: 'headlesskey_invalid_json' } });
    expect(received).toEqual([]);
  });

  it('refuses to register a command of another service', () => {
    const other = createCommandServer(serverBus, names, 'identity', logger);
    expect(() => other.on(nobodyServes, async () => ({ echoed: '' }))).toThrow('audit.anything is not a command of identity');
  });
});

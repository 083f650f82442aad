import net from 'node:net';
import { answers } from '@headlesskey/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, batchSizes, openBus, refresh } from './support/tokens.js';
import { eventually, registerAndLogin } from './support/users.js';

const TIMEOUT_MS = 2000;
const UNAVAILABLE = {
  code: 'headlesskey_unavailable',
  message: 'The service is temporarily unavailable. Try again shortly.',
  data: { status: 503 },
};

/**
 * What clients get from the gateway while a service or the gateway itself goes away: the API's
 * 503 `headlesskey_unavailable`, never later than the command timeout after they asked.
 */
describe('the gateway during faults', () => {
  let system: TestSystem;
  let bus: Bus;

  beforeAll(async () => {
    system = await startTestSystem({ env: { HEADLESSKEY_COMMAND_TIMEOUT_MS: String(TIMEOUT_MS) } });
    bus = await openBus(system);
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
  });

  it('answers a refresh queued behind batches that hang within the command timeout, not twice it', async () => {
    const user = await registerAndLogin(system, {}, 'hang');
    const batches = await batchSizes(bus, system, 'refreshMany');
    // Stopped, the tokens service takes commands and answers none: every batch waits out its time.
    await system.kill('tokens', 'SIGSTOP');
    try {
      // Two batches in flight fill the gateway's slots; the third waits for one of them.
      const first = refresh(system, user.token);
      await eventually(async () => (batches.length >= 1 ? true : undefined));
      const second = refresh(system, user.token);
      await eventually(async () => (batches.length >= 2 ? true : undefined));
      const asked = Date.now();
      const queued = await Promise.all(Array.from({ length: 4 }, () => refresh(system, user.token)));
      const waited = Date.now() - asked;
      for (const reply of [await first, await second, ...queued]) {
        expect(reply.status).toBe(503);
        expect(reply.body).toEqual(UNAVAILABLE);
      }
      expect(waited).toBeLessThan(TIMEOUT_MS + 1000);
    } finally {
      await system.kill('tokens', 'SIGCONT');
    }
  });

  it('answers a request that reaches it while it shuts down in the API’s own shape', async () => {
    const user = await registerAndLogin(system, {}, 'closing');
    const { hostname, port } = new URL(system.url);
    const path = `${new URL(system.apiUrl).pathname}/token/refresh`;
    const request = (connection: string) =>
      `POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\nconnection: ${connection}\r\n` +
      `content-length: ${Buffer.byteLength(JSON.stringify({ token: user.token }))}\r\n\r\n${JSON.stringify({ token: user.token })}`;
    // A request held in flight (the tokens service answers nothing) keeps the connection open
    // through the shutdown; the next one on it arrives while the gateway closes.
    const batches = await batchSizes(bus, system, 'refreshMany');
    await system.kill('tokens', 'SIGSTOP');
    const socket = net.connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    socket.on('data', (chunk) => received.push(chunk));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    try {
      socket.write(request('keep-alive'));
      await eventually(async () => (batches.length >= 1 ? true : undefined), 5000, 'the first request in flight');
      const stopped = system.kill('gateway');
      await eventually(async () => ((await answers(system.url)) ? undefined : true), 5000, 'the gateway to stop listening');
      socket.write(request('close'));
      await ended;
      await stopped;
    } finally {
      socket.destroy();
      await system.kill('tokens', 'SIGCONT');
    }
    const replies = parseResponses(Buffer.concat(received).toString());
    expect(replies.map((r) => r.status)).toEqual([503, 503]);
    for (const reply of replies) expect(JSON.parse(reply.body)).toEqual(UNAVAILABLE);
  });
});

/** The status and body of each HTTP/1.1 response on a connection (bodies sent with a content-length). */
function parseResponses(text: string): { status: number; body: string }[] {
  const replies: { status: number; body: string }[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const head = rest.slice(0, headEnd);
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    replies.push({ status: Number(head.slice(9, 12)), body: rest.slice(headEnd + 4, headEnd + 4 + length) });
    rest = rest.slice(headEnd + 4 + length);
  }
  return replies;
}

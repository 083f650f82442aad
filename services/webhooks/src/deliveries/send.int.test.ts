import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from './send.js';

/**
 * The connect-time half of the SSRF guard against a real server on loopback: with the address
 * rule on, nothing reaches it, however the URL spells the address. No network beyond loopback.
 */
describe('postWebhook', () => {
  const received: { url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let answer: (res: http.ServerResponse) => void = (res) => res.writeHead(204).end();
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        received.push({ url: req.url, headers: req.headers, body });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const guarded = { timeoutMs: 2000, allowPrivate: false };
  const open = { timeoutMs: 2000, allowPrivate: true };

  it('refuses a loopback target in every spelling without sending a byte', async () => {
    const before = received.length;
    for (const host of ['127.0.0.1', '2130706433', '0177.0.0.1', '0x7f.1', '[::ffff:127.0.0.1]', 'localhost']) {
      const result = await postWebhook(`http://${host}:${port}/hook`, '{}', {}, guarded);
      expect(result, host).toMatchObject({ kind: 'error', error: expect.stringMatching(/^refused: /) });
    }
    expect(received.length).toBe(before);
  });

  it('refuses a host name that resolves to loopback at connect time', async () => {
    const result = await postWebhook(
      `http://loopback.test:${port}/`,
      '{}',
      {},
      {
        ...guarded,
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      },
    );
    expect(result).toMatchObject({ kind: 'error', error: 'refused: loopback.test resolves to 127.0.0.1, a loopback address' });
  });

  it('posts the body and headers, and reports the status, when the rule is lifted', async () => {
    answer = (res) => res.writeHead(202).end('ignored');
    const result = await postWebhook(`http://127.0.0.1:${port}/in?x=1`, '{"a":1}', { 'webhook-id': 'm1' }, open);
    expect(result).toMatchObject({ kind: 'response', status: 202 });
    expect(received.at(-1)).toMatchObject({ url: '/in?x=1', body: '{"a":1}', headers: { 'webhook-id': 'm1', 'content-length': '7' } });
  });

  it('connects to the address its own lookup answered, not to a second resolution', async () => {
    answer = (res) => res.writeHead(200).end();
    const before = received.length;
    // `receiver.test` exists in no DNS: only the guard's resolver knows it.
    const result = await postWebhook(
      `http://receiver.test:${port}/via-lookup`,
      '{}',
      {},
      {
        ...open,
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      },
    );
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(received.slice(before).map((r) => r.url)).toEqual(['/via-lookup']);
  });

  it('does not follow a redirect', async () => {
    const before = received.length;
    answer = (res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/internal` }).end();
    const result = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, open);
    expect(result).toMatchObject({ kind: 'response', status: 302 });
    expect(received.slice(before).map((r) => r.url)).toEqual(['/hook']);
  });

  it('passes Retry-After on', async () => {
    answer = (res) => res.writeHead(503, { 'retry-after': '7' }).end();
    expect(await postWebhook(`http://127.0.0.1:${port}/`, '{}', {}, open)).toMatchObject({ status: 503, retryAfter: '7' });
  });

  it('gives up on a receiver that does not answer in time', async () => {
    answer = () => {};
    const result = await postWebhook(`http://127.0.0.1:${port}/`, '{}', {}, { ...open, timeoutMs: 200 });
    expect(result).toEqual({ kind: 'error', error: 'no answer within 200 ms', durationMs: expect.any(Number) });
  });

  it('reports a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freed = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await postWebhook(`http://127.0.0.1:${freed}/`, '{}', {}, open)).toMatchObject({
      kind: 'error',
      error: 'request failed: ECONNREFUSED',
    });
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntilReady } from './readiness.js';
import { RUN_TOKEN_HEADER } from './run-token.js';

describe('waitUntilReady', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  /** A gateway stand-in whose `/readyz` answers 200 with the given run token, or none. */
  const gateway = async (token?: string) => {
    const server = createServer((_req, res) => {
      if (token) res.setHeader(RUN_TOKEN_HEADER, token);
      res.end('{"status":"ready"}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const wait = (url: string, failure: () => string | undefined = () => undefined) =>
    waitUntilReady({ url, runToken: 'ours', timeoutMs: 1_000, failure });

  it('resolves once its own gateway answers 200', async () => {
    await expect(wait(await gateway('ours'))).resolves.toBeUndefined();
  });

  it('does not take a 200 from another process for its gateway', async () => {
    await expect(wait(await gateway('theirs'))).rejects.toThrow('(last: an answer from a process this run did not start)');
    await expect(wait(await gateway())).rejects.toThrow('did not answer 200 within 1 s');
  });

  it('fails at once with the reason the supervisor gave up', async () => {
    await expect(wait(await gateway(), () => 'identity crashed')).rejects.toThrow(/^identity crashed$/);
  });
});

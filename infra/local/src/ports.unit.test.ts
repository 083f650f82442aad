import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { answers, freePort, PORT_RANGE } from './ports.js';

describe('freePort', () => {
  it('returns a port below the ephemeral range that a server can listen on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(PORT_RANGE.lowest);
    expect(port).toBeLessThan(32_768);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    expect(await answers(`tcp://127.0.0.1:${port}`)).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await answers(`tcp://127.0.0.1:${port}`)).toBe(false);
  });
});

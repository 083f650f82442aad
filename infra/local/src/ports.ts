import net from 'node:net';

/**
 * Ports handed to servers we start. The kernel picks client ports from 32768 up, so a server
 * there could collide with an outgoing connection made a moment later.
 */
export const PORT_RANGE = { lowest: 10_000, highest: 32_767 } as const;

/**
 * A port nothing listens on right now. Random rather than sequential, so that parallel test
 * files picking at the same moment do not pick the same port.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const { lowest, highest } = PORT_RANGE;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = lowest + Math.floor(Math.random() * (highest - lowest + 1));
    if (await canListen(port, host)) return port;
  }
  throw new Error(`no free port between ${lowest} and ${highest} on ${host}`);
}

/** Whether a server could listen on the port now; `exclusive`, so a port another process holds counts as taken. */
export function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Whether something accepts TCP connections at the URL's host and port. */
export function answers(url: string, timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    // An IPv6 literal comes in brackets, which net.connect does not take.
    const socket = net.connect({ host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

import http from 'node:http';
import { freePort } from '@headlesskey/local';

/** One request a receiver got, and what it answered. */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  headers: Record<string, string>;
  body: string;
  path: string;
  /** Date.now() when the request arrived. */
  at: number;
  /** The status it was answered with; undefined while it hangs. */
  status?: number;
}

/** How to answer: a status (with headers), or `hang` to hold the request open until released. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';
export type Responder = (request: Received, seen: readonly Received[]) => Answer;

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  /** The most requests it ever held open at once. */
  readonly maxInFlight: number;
  inFlight(): number;
  respond(responder: Responder): void;
  /** Answers every hanging request with this status. */
  release(status?: number): void;
  /** Stops listening (connections are refused), keeping its port and what it received. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** Webhook ids answered 2xx, each as often as it was. */
  acceptedIds(): string[];
  close(): Promise<void>;
}

/** A webhook receiver on loopback, on a port below the ephemeral range so it can come back on it. */
export async function startReceiver(responder: Responder = () => ({ status: 204 })): Promise<Receiver> {
  const received: Received[] = [];
  const hanging = new Set<{ record: Received; res: http.ServerResponse }>();
  let respond = responder;
  let inFlight = 0;
  let maxInFlight = 0;
  const port = await freePort();

  const answer = (record: Received, res: http.ServerResponse, status: number, headers: Record<string, string> = {}) => {
    record.status = status;
    inFlight--;
    res.writeHead(status, headers).end();
  };

  const handler: http.RequestListener = (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      const record: Received = {
        id: headers['webhook-id'] ?? '',
        timestamp: headers['webhook-timestamp'] ?? '',
        signature: headers['webhook-signature'] ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        path: req.url ?? '',
        at: Date.now(),
      };
      received.push(record);
      const decision = respond(record, received);
      if (decision === 'hang') {
        const entry = { record, res };
        hanging.add(entry);
        res.on('close', () => {
          if (hanging.delete(entry)) inFlight--;
        });
        return;
      }
      answer(record, res, decision.status, decision.headers);
    });
  };

  let server: http.Server | undefined;
  const listen = async () => {
    const next = http.createServer(handler);
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    server = next;
  };
  const stop = async () => {
    const current = server;
    server = undefined;
    if (!current) return;
    for (const entry of hanging) entry.res.destroy();
    current.closeAllConnections();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await listen();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    get maxInFlight() {
      return maxInFlight;
    },
    inFlight: () => inFlight,
    respond(next) {
      respond = next;
    },
    release(status = 200) {
      for (const entry of [...hanging]) {
        hanging.delete(entry);
        answer(entry.record, entry.res, status);
      }
    },
    down: stop,
    up: listen,
    acceptedIds: () => received.filter((r) => r.status !== undefined && r.status >= 200 && r.status < 300).map((r) => r.id),
    close: stop,
  };
}

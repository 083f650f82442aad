import http from 'node:http';
import https from 'node:https';
import { connectTarget, guardedLookup, RefusedTarget, type Resolver } from '@headlesskey/platform';
import type { AttemptResult } from './outcome.js';

export interface SendOptions {
  /** From connecting to the response's status line; then the attempt is a failure. */
  timeoutMs: number;
  /** Lifts the private-address rule (development and tests); metadata addresses stay refused. */
  allowPrivate: boolean;
  resolve?: Resolver;
}

export type SendResult = AttemptResult & { durationMs: number };

/**
 * One POST of a delivery. The SSRF guard runs again here, at connect time: a literal address is
 * checked before anything is sent, a host name through `guardedLookup`, so the socket connects
 * only to an address that passed. A redirect is an answer like any other, never followed; the
 * response body is not read.
 */
export function postWebhook(target: string, body: string, headers: Record<string, string>, opts: SendOptions): Promise<SendResult> {
  const started = Date.now();
  const done = (result: AttemptResult): SendResult => ({ ...result, durationMs: Date.now() - started });
  const url = connectTarget(target, opts);
  if (!url.ok) return Promise.resolve(done({ kind: 'error', error: `refused: ${url.reason}` }));
  const client = url.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(result));
    };
    const request = client.request(
      {
        host: url.host,
        port: url.url.port || undefined,
        path: `${url.url.pathname}${url.url.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // A fresh connection per attempt: a pooled socket could outlive the check that admitted it.
        agent: false,
        lookup: guardedLookup(opts),
      },
      (response) => {
        const retryAfter = response.headers['retry-after'];
        settle({ kind: 'response', status: response.statusCode ?? 0, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) });
        response.destroy();
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: 'error', error: `no answer within ${opts.timeoutMs} ms` });
      request.destroy();
    }, opts.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => settle({ kind: 'error', error: describeError(err) }));
    request.end(body);
  });
}

function describeError(err: NodeJS.ErrnoException): string {
  if (err instanceof RefusedTarget) return err.message;
  const reason = err.code ?? err.message;
  return `request failed: ${reason}`;
}

import http from 'node:http';
import https from 'node:https';
import { connectTarget, type GuardOptions, guardedLookup, RefusedTarget } from './guard.js';

/** What a guarded GET may read of an answer: a key set, a discovery document, never a download. */
export const MAX_FETCH_BYTES = 256 * 1024;

interface GetInit {
  headers?: Headers | Record<string, string>;
  signal?: AbortSignal;
}

/**
 * A `fetch` for GETs (as jose's `customFetch` calls it) that connects only where the guard allows,
 * checking the addresses at connect time, on the socket's own lookup, so a name that resolves
 * elsewhere by then is refused. A redirect is answered as it is, never followed; a fresh
 * connection each time; at most `MAX_FETCH_BYTES` of body.
 */
export function guardedFetch(opts: GuardOptions) {
  return (target: string, init: GetInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const checked = connectTarget(target, opts);
      if (!checked.ok) return reject(new RefusedTarget(`refused: ${checked.reason}`));
      const client = checked.url.protocol === 'https:' ? https : http;
      const request = client.request(
        checked.url,
        {
          method: 'GET',
          headers: Object.fromEntries(new Headers(init.headers)),
          agent: false,
          lookup: guardedLookup(opts),
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_FETCH_BYTES) response.destroy(new Error(`answer over ${MAX_FETCH_BYTES} bytes`));
            else chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 502 })));
        },
      );
      request.on('error', reject);
      request.end();
    });
}

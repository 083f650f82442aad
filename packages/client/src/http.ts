import type { ErrorCode } from './contract.js';
import { HeadlessKeyError } from './errors.js';

export interface HttpOptions {
  /** The REST base URL, such as `https://auth.example.com/wp-json/headlesskey/v1`. */
  url: string;
  fetch?: typeof fetch;
}

export interface Call {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export type Send = <T>(path: string, call?: Call) => Promise<T>;

/**
 * One JSON request to the API. An error answer becomes a `HeadlessKeyError` with the server's code,
 * status and data; no answer at all (offline, DNS, CORS refusal) is status 0.
 */
export function httpSender(opts: HttpOptions): Send {
  const base = opts.url.replace(/\/+$/, '');
  // Bound to the global object: a browser's fetch called as a method of another object throws.
  const get = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return async <T>(path: string, call: Call = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    let res: Response;
    try {
      res = await get(`${base}${path}`, {
        method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
    } catch (err) {
      throw new HeadlessKeyError('headlesskey_unavailable', 0, `no answer from ${base}: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => undefined)) as
      | (T & { code?: ErrorCode; message?: string; data?: Record<string, unknown> })
      | undefined;
    if (res.ok && body !== undefined) return body;
    if (body?.code) throw new HeadlessKeyError(body.code, res.status, body.message ?? body.code, body.data ?? { status: res.status });
    const code = res.ok || res.status >= 500 ? 'headlesskey_unavailable' : 'headlesskey_not_found';
    throw new HeadlessKeyError(code, res.status, `${path} answered ${res.status} without an error body`, { status: res.status });
  };
}

import type { ErrorCode } from './contract.js';
import { HeadlessKeyError } from './errors.js';
import type { Session } from './session.js';
import type { SessionKeeper } from './session-keeper.js';

/** The session to send: refreshed first when it is already past its expiry. */
async function usable(keeper: SessionKeeper, now = Date.now()): Promise<Session | null> {
  await keeper.ready;
  const session = keeper.current();
  if (!session || session.expiresAt > now) return session;
  return keeper.refresh().catch(() => session);
}

/**
 * After the server refused `sent`'s token: the session to retry with, or undefined for none. An
 * expired token is refreshed (once for every caller); a revoked one may have been rotated by
 * another tab, else the session has ended. Never more than one step, so never a loop.
 */
async function recover(keeper: SessionKeeper, sent: Session, code: ErrorCode | undefined): Promise<Session | undefined> {
  const now = keeper.current();
  if (now && now.token !== sent.token) return now;
  let next: Session | null = null;
  if (code === 'headlesskey_token_expired') next = await keeper.refresh().catch(() => null);
  else if (code === 'headlesskey_token_revoked' || code === 'headlesskey_invalid_token') next = await keeper.reconcile(sent.token);
  return next && next.token !== sent.token ? next : undefined;
}

/** Runs a typed call with the session's token, and once more with a new one if the server asks for it. */
export function authorized(keeper: SessionKeeper) {
  return async <T>(call: (token: string) => Promise<T>): Promise<T> => {
    const session = await usable(keeper);
    if (!session) throw new HeadlessKeyError('headlesskey_unauthorized', 401, 'Not signed in.', { status: 401 });
    try {
      return await call(session.token);
    } catch (err) {
      if (!(err instanceof HeadlessKeyError) || err.status !== 401) throw err;
      const next = await recover(keeper, session, err.code);
      if (!next) throw err;
      return call(next.token);
    }
  };
}

/**
 * `fetch` for the app's own API: adds `Authorization: Bearer`; on a 401 whose body says
 * `headlesskey_token_expired` (as `@headlesskey/client/server`'s guards answer) refreshes and
 * sends once more. A `Request` with a body is cloned before the first send so it can be sent again.
 */
export function fetchWithSession(keeper: SessionKeeper, fetcher?: typeof fetch) {
  const get: typeof fetch = fetcher ?? ((input, init) => globalThis.fetch(input, init));
  return async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    const spare = isRequest ? input.clone() : input;
    const send = (target: RequestInfo | URL, token: string | undefined) => {
      const headers = new Headers(init.headers ?? (isRequest ? (input as Request).headers : undefined));
      if (token) headers.set('authorization', `Bearer ${token}`);
      return get(target, { ...init, headers });
    };
    const session = await usable(keeper);
    const first = await send(input, session?.token);
    if (first.status !== 401 || !session) return first;
    const code = await first
      .clone()
      .json()
      .then((body: { code?: ErrorCode }) => body?.code)
      .catch(() => undefined);
    const next = await recover(keeper, session, code);
    return next ? send(spare, next.token) : first;
  };
}

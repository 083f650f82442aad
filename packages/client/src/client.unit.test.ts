import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import type { AuthEvent } from './session-keeper.js';
import { localStorageStore } from './store.js';
import { reply, USER } from './testing.unit.js';

/** What a browser has and Node 20 or an edge runtime may not: stubbed away, so only fetch and Web Crypto are left. */
const BROWSER_ONLY = ['window', 'navigator', 'localStorage', 'sessionStorage', 'BroadcastChannel'];

/** A server answering the routes a session uses; `offline` paths get no answer at all. */
function server(offline: string[] = []) {
  const answers: Record<string, () => unknown> = {
    'POST /token': () => ({ ...reply(), device_secret: 'device-secret' }),
    'GET /me': () => USER,
    'POST /token/refresh': () => reply(),
    'POST /token/revoke': () => ({ message: 'Token revoked.' }),
  };
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(String(input)).pathname.replace('/v1', '');
    if (offline.includes(path)) throw new TypeError('fetch failed');
    const answer = answers[`${init?.method ?? 'GET'} ${path}`];
    return answer ? new Response(JSON.stringify(answer())) : new Response('{}', { status: 404 });
  };
}

describe('createClient without window, Web Locks, Web Storage or BroadcastChannel (Node, edge runtimes)', () => {
  afterEach(() => vi.unstubAllGlobals());

  const bareClient = (fetch: typeof globalThis.fetch) => {
    for (const name of BROWSER_ONLY) vi.stubGlobal(name, undefined);
    const client = createClient({ url: 'https://auth.test/v1', store: localStorageStore(), fetch });
    const events: AuthEvent[] = [];
    client.onAuthStateChange((event) => events.push(event));
    return { client, events };
  };

  it('signs in, calls, refreshes and signs out', async () => {
    const { client, events } = bareClient(server());
    await client.login({ username: 'ada', password: 'pw' });
    expect(await client.me()).toEqual(USER);
    const first = client.session!.token;
    expect((await client.refresh())?.token).not.toBe(first);
    await client.logout();
    expect(client.session).toBeNull();
    expect(events).toEqual(['signed_in', 'refreshed', 'signed_out']);
    client.close();
  });

  it('a logout that finds no server still signs out here, and says the server was not reached', async () => {
    const { client, events } = bareClient(server(['/token/revoke']));
    await client.login({ username: 'ada', password: 'pw' });
    await expect(client.logout()).rejects.toMatchObject({ code: 'headlesskey_unavailable', status: 0 });
    expect(client.session).toBeNull();
    expect(events).toEqual(['signed_in', 'signed_out']);
    client.close();
  });
});

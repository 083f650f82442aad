import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeadlessKeyError } from './errors.js';
import type { Api } from './routes.js';
import type { AuthEvent, KeeperOptions, SessionKeeper } from './session-keeper.js';
import { memoryStore, type TokenStore } from './store.js';
import { tabLock } from './tabs.js';
import { fakeApi, fakeBroadcast, KEY, keeperFor, reply } from './testing.unit.js';

/** N tabs of one origin: one shared store (as localStorage), one lock (as a Web Lock), one channel. */
function tabs(count: number, api: Api, over: Partial<KeeperOptions> = {}) {
  const store = memoryStore();
  const lock = tabLock('shared', undefined);
  const channel = fakeBroadcast();
  const keepers = Array.from({ length: count }, () => keeperFor(api, { store, lock, channel, ...over }));
  const events = keepers.map((keeper) => {
    const seen: AuthEvent[] = [];
    keeper.onChange((event) => seen.push(event));
    return seen;
  });
  return { store, keepers, events };
}

/** Every tab holding the first tab's session. */
async function signedIn(keepers: SessionKeeper[], store: TokenStore) {
  await keepers[0]!.signIn(reply());
  await Promise.all(keepers.map((k) => k.ready));
  await vi.waitFor(() => expect(keepers.every((k) => k.current()?.token === keepers[0]!.current()?.token)).toBe(true));
  expect(await store.get(KEY)).toContain(keepers[0]!.current()!.token);
}

describe('SessionKeeper', () => {
  it('answers any number of refreshes in one tab with one rotation', async () => {
    const api = fakeApi();
    const { keepers, store } = tabs(1, api);
    await signedIn(keepers, store);
    const results = await Promise.all(Array.from({ length: 5 }, () => keepers[0]!.refresh()));
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((s) => s?.token)).size).toBe(1);
  });

  it('five tabs whose token expires together rotate it once, and each ends with the new token', async () => {
    const api = fakeApi();
    const { keepers, store, events } = tabs(5, api);
    await signedIn(keepers, store);
    const results = await Promise.all(keepers.map((k) => k.refresh()));
    expect(api.refresh).toHaveBeenCalledTimes(1);
    const stored = JSON.parse((await store.get(KEY)) as string).token;
    expect(results.map((s) => s?.token)).toEqual(keepers.map(() => stored));
    await vi.waitFor(() => expect(events.every((seen) => seen.at(-1) === 'refreshed')).toBe(true));
    // Each tab hears of the refresh once, whether it took the token under the lock or from the channel.
    for (const seen of events.slice(1)) expect(seen.filter((e) => e === 'refreshed')).toHaveLength(1);
  });

  it('ends the session everywhere when the server refuses the refresh', async () => {
    const api = fakeApi({ refresh: vi.fn(async () => Promise.reject(new HeadlessKeyError('headlesskey_token_revoked', 401, 'revoked'))) });
    const { keepers, store, events } = tabs(3, api);
    await signedIn(keepers, store);
    expect(await keepers[1]!.refresh()).toBeNull();
    await vi.waitFor(() => expect(events.map((seen) => seen.at(-1))).toEqual(['session_ended', 'session_ended', 'session_ended']));
    expect(keepers.every((k) => k.current() === null)).toBe(true);
    expect(await store.get(KEY)).toBeUndefined();
  });

  it('keeps the session when the server could not be reached, and rejects with status 0', async () => {
    const api = fakeApi({ refresh: vi.fn(async () => Promise.reject(new HeadlessKeyError('headlesskey_unavailable', 0, 'offline'))) });
    const { keepers, store } = tabs(1, api);
    await signedIn(keepers, store);
    await expect(keepers[0]!.refresh()).rejects.toMatchObject({ status: 0 });
    expect(keepers[0]!.current()).not.toBeNull();
  });

  it('a sign-out in one tab signs the others out', async () => {
    const { keepers, store, events } = tabs(3, fakeApi());
    await signedIn(keepers, store);
    await keepers[2]!.end('signed_out');
    await vi.waitFor(() => expect(events.map((seen) => seen.at(-1))).toEqual(['signed_out', 'signed_out', 'signed_out']));
  });

  it('a revoked token is the session’s end, unless another tab rotated it meanwhile', async () => {
    const { keepers, store, events } = tabs(2, fakeApi());
    await signedIn(keepers, store);
    const old = keepers[0]!.current()!.token;
    await keepers[1]!.refresh();
    expect((await keepers[0]!.reconcile(old))?.token).toBe(keepers[1]!.current()!.token);
    expect(await keepers[0]!.reconcile(keepers[0]!.current()!.token)).toBeNull();
    await vi.waitFor(() => expect(events.map((seen) => seen.at(-1))).toEqual(['session_ended', 'session_ended']));
  });
});

describe('SessionKeeper timer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refreshes the margin before expiry, then again before the new token expires', async () => {
    const api = fakeApi();
    const keeper = keeperFor(api, { autoRefresh: true });
    await keeper.ready;
    await keeper.signIn(reply({ expires_in: 3600 }));
    await vi.advanceTimersByTimeAsync(3_539_000);
    expect(api.refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3_540_000);
    expect(api.refresh).toHaveBeenCalledTimes(2);
    keeper.close();
  });

  it('tries again a few seconds after a refresh found no server', async () => {
    let calls = 0;
    const api = fakeApi({
      refresh: vi.fn(async () => {
        calls++;
        if (calls === 1) throw new HeadlessKeyError('headlesskey_unavailable', 0, 'offline');
        return reply();
      }),
    });
    const keeper = keeperFor(api, { autoRefresh: true });
    await keeper.signIn(reply({ expires_in: 120 }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls).toBe(2);
    keeper.close();
  });

  it('without autoRefresh, sets no timer', async () => {
    const api = fakeApi();
    const keeper = keeperFor(api);
    await keeper.signIn(reply({ expires_in: 60 }));
    await vi.advanceTimersByTimeAsync(600_000);
    expect(api.refresh).not.toHaveBeenCalled();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthEvent, SessionKeeper } from './session-keeper.js';
import { memoryStore } from './store.js';
import { rotationMarks, tabLock } from './tabs.js';
import { fakeApi, fakeLocks, KEY, keeperFor, lateBroadcast, reply } from './testing.unit.js';

/**
 * Two tabs sharing Web Locks, each with its own view of the store, whose messages arrive only
 * when delivered: tab A rotates, and tab B is granted the refresh lock before A's news reaches it
 * (the BroadcastChannel task is not ordered with the lock grant; Chromium's localStorage lags
 * between processes).
 */
async function racingTabs() {
  const api = fakeApi();
  const locks = fakeLocks();
  const channel = lateBroadcast();
  const stores = [memoryStore(), memoryStore()];
  const [a, b] = stores.map((store) =>
    keeperFor(api, {
      store,
      lock: tabLock(`headlesskey:${KEY}`, locks),
      marks: rotationMarks(`headlesskey:${KEY}:rotated:`, locks),
      channel: channel.connect,
    }),
  ) as [SessionKeeper, SessionKeeper];
  const events: AuthEvent[] = [];
  b.onChange((event) => events.push(event));
  /** B's view of the store shows what A wrote. */
  const catchUp = async () => stores[1]!.set(KEY, (await stores[0]!.get(KEY)) as string);
  await a.signIn(reply());
  await catchUp();
  await b.ready;
  channel.deliver();
  const x = a.current()!.token;
  expect(b.current()?.token).toBe(x);
  events.length = 0;
  return { api, a, b, x, stores, channel, catchUp, events };
}

/** A rotates X; B, granted the lock next with no news of it, is left waiting. */
async function raced(tabs: Awaited<ReturnType<typeof racingTabs>>) {
  const rotating = tabs.a.refresh();
  const waiting = tabs.b.refresh();
  const next = await rotating;
  await vi.advanceTimersByTimeAsync(200);
  expect(tabs.api.refresh.mock.calls).toEqual([[tabs.x]]);
  expect(tabs.b.current()?.token).toBe(tabs.x);
  return { next: next!, waiting };
}

describe('SessionKeeper, a tab granted the lock before the news of a rotation', () => {
  afterEach(() => vi.useRealTimers());

  it('does not present the rotated token, and takes the new one from the late message', async () => {
    vi.useFakeTimers();
    const tabs = await racingTabs();
    const { next, waiting } = await raced(tabs);
    tabs.channel.deliver();
    expect((await waiting)?.token).toBe(next.token);
    expect(tabs.b.current()?.token).toBe(next.token);
    expect(tabs.api.refresh).toHaveBeenCalledTimes(1);
    expect(tabs.events).toEqual(['refreshed']);
  });

  it('takes the new token from the store once its view shows it', async () => {
    vi.useFakeTimers();
    const tabs = await racingTabs();
    const { next, waiting } = await raced(tabs);
    await tabs.catchUp();
    await vi.advanceTimersByTimeAsync(50);
    expect((await waiting)?.token).toBe(next.token);
    expect(tabs.api.refresh).toHaveBeenCalledTimes(1);
  });

  it('with no news in 3 s, rejects as unreachable and keeps the session; the next refresh takes the new token', async () => {
    vi.useFakeTimers();
    const tabs = await racingTabs();
    const { next, waiting } = await raced(tabs);
    const failed = expect(waiting).rejects.toMatchObject({ code: 'headlesskey_unavailable', status: 0 });
    await vi.advanceTimersByTimeAsync(3_000);
    await failed;
    expect(tabs.b.current()?.token).toBe(tabs.x);
    expect(tabs.events).toEqual([]);
    await tabs.catchUp();
    expect((await tabs.b.refresh())?.token).toBe(next.token);
    expect(tabs.api.refresh).toHaveBeenCalledTimes(1);
  });

  it('a token refused as revoked because another tab rotated it ends no session while the news is late', async () => {
    vi.useFakeTimers();
    const tabs = await racingTabs();
    const next = await tabs.a.refresh();
    const reconciled = tabs.b.reconcile(tabs.x);
    await vi.advanceTimersByTimeAsync(200);
    tabs.channel.deliver();
    expect((await reconciled)?.token).toBe(next!.token);
    await vi.advanceTimersByTimeAsync(0);
    expect(tabs.a.current()?.token).toBe(next!.token);
    expect(await tabs.stores[0]!.get(KEY)).toContain(next!.token);
    expect(tabs.events).toEqual(['refreshed']);
  });
});

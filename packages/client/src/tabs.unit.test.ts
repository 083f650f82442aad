import { afterEach, describe, expect, it, vi } from 'vitest';
import { rotationMarks, tabChannel, tabLock } from './tabs.js';
import { fakeLocks, tokenFor } from './testing.unit.js';

describe('tabLock', () => {
  it('without Web Locks, runs calls one after the other, a failure not blocking the next', async () => {
    const lock = tabLock('x', undefined);
    const order: string[] = [];
    const step = (name: string, fail = false) =>
      lock(async () => {
        order.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 5));
        order.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a'), step('b', true), step('c')]);
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('with Web Locks, asks for the named lock', async () => {
    const asked: string[] = [];
    const lock = tabLock('headlesskey:s', {
      request: (name, _options, fn) => {
        asked.push(name);
        return fn({ name });
      },
      query: async () => ({}),
    });
    expect(await lock(async () => 1)).toBe(1);
    expect(asked).toEqual(['headlesskey:s']);
  });
});

describe('tabChannel', () => {
  it('tells the other channels of the name, not itself', async () => {
    const heard: string[] = [];
    const a = tabChannel('hk-test', (m) => heard.push(`a:${m.kind}`));
    const b = tabChannel('hk-test', (m) => heard.push(`b:${m.kind}`));
    a.post({ kind: 'refreshed', from: 'a', sessionId: 's', session: null });
    await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual(['b:refreshed']);
    a.close();
    b.close();
  });
});

describe('rotationMarks', () => {
  afterEach(() => vi.useRealTimers());

  it('holds the mark of a rotated token, named by its jti, for a minute', async () => {
    vi.useFakeTimers();
    const locks = fakeLocks();
    const marks = rotationMarks('hk:rotated:', locks);
    const [rotated, other] = [tokenFor({ jti: 'j1' }), tokenFor({ jti: 'j2' })];
    await marks.mark(rotated);
    expect(await locks.query()).toEqual({ held: [{ name: 'hk:rotated:j1' }] });
    expect(await rotationMarks('hk:rotated:', locks).marked(rotated)).toBe(true);
    expect(await marks.marked(other)).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await marks.marked(rotated)).toBe(false);
  });

  it('marks a token without a jti by its digest, never by the token', async () => {
    const locks = fakeLocks();
    const token = 'opaque-token';
    await rotationMarks('hk:rotated:', locks).mark(token);
    const { held = [] } = await locks.query();
    expect(held).toHaveLength(1);
    expect(held[0]!.name).not.toContain(token);
    expect(await rotationMarks('hk:rotated:', locks).marked(token)).toBe(true);
  });

  it('a second mark of one token does not wait for the first', async () => {
    const marks = rotationMarks('hk:rotated:', fakeLocks());
    await marks.mark(tokenFor({ jti: 'j' }));
    await marks.mark(tokenFor({ jti: 'j' }));
  });

  it('without Web Locks, marks nothing', async () => {
    const marks = rotationMarks('hk:rotated:', undefined);
    const token = tokenFor();
    await marks.mark(token);
    expect(await marks.marked(token)).toBe(false);
  });
});

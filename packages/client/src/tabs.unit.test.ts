import { describe, expect, it } from 'vitest';
import { tabChannel, tabLock } from './tabs.js';

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
      request: (name, fn) => {
        asked.push(name);
        return fn();
      },
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

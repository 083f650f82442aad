import { describe, expect, it } from 'vitest';
import { batchesOf } from './batches.js';

/** A source the test feeds by hand; it ends when told, or never. */
function feed<T>() {
  const items: T[] = [];
  let waiting: (() => void) | undefined;
  let ended = false;
  let read = 0;
  let returned = false;
  const source: AsyncIterable<T> = {
    [Symbol.asyncIterator]: () => ({
      async next() {
        while (items.length === 0 && !ended) await new Promise<void>((resolve) => (waiting = resolve));
        if (items.length === 0) return { done: true, value: undefined };
        read++;
        return { done: false, value: items.shift() as T };
      },
      async return() {
        returned = true;
        return { done: true, value: undefined };
      },
    }),
  };
  const wake = () => {
    waiting?.();
    waiting = undefined;
  };
  return {
    source,
    push: (...more: T[]) => {
      items.push(...more);
      wake();
    },
    end: () => {
      ended = true;
      wake();
    },
    read: () => read,
    returned: () => returned,
  };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batchesOf', () => {
  it('batches what has arrived, at most max at a time, in order', async () => {
    const f = feed<number>();
    f.push(1, 2, 3, 4, 5);
    f.end();
    const batches: number[][] = [];
    for await (const batch of batchesOf(f.source, { max: 2, lingerMs: 0 })) batches.push(batch);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('hands over the last items of a burst when the linger ends, with nothing more coming', async () => {
    const f = feed<number>();
    const batches = batchesOf(f.source, { max: 100, lingerMs: 20 });
    f.push(1, 2, 3);
    const started = Date.now();
    // The source never ends and nothing more comes: the batch must not wait for a fourth item.
    const first = await Promise.race([batches.next(), tick(2000).then(() => 'still waiting')]);
    expect(first).toEqual({ done: false, value: [1, 2, 3] });
    expect(Date.now() - started).toBeLessThan(1000);
    await batches.return(undefined);
  });

  it('lets what arrives during the linger join the batch, and what comes after wait for the next', async () => {
    const f = feed<number>();
    const batches = batchesOf(f.source, { max: 100, lingerMs: 150 });
    f.push(1);
    const first = batches.next();
    await tick(30);
    f.push(2);
    expect(await first).toEqual({ done: false, value: [1, 2] });
    f.push(3);
    f.end();
    expect(await batches.next()).toEqual({ done: false, value: [3] });
    expect(await batches.next()).toEqual({ done: true, value: undefined });
  });

  it('reads ahead at most two batches, and lets go of the source when its caller stops', async () => {
    const f = feed<number>();
    f.push(...Array.from({ length: 50 }, (_, i) => i));
    const batches = batchesOf(f.source, { max: 5, lingerMs: 0 });
    expect((await batches.next()).value).toEqual([0, 1, 2, 3, 4]);
    await tick(20);
    expect(f.read()).toBeLessThanOrEqual(5 + 2 * 5);
    await batches.return(undefined);
    await tick(20);
    expect(f.returned()).toBe(true);
  });

  it('throws the source’s error after the batches of what it yielded before', async () => {
    const source = (async function* () {
      yield 1;
      yield 2;
      throw new Error('connection lost');
    })();
    const seen: number[][] = [];
    await expect(
      (async () => {
        for await (const batch of batchesOf(source, { max: 10, lingerMs: 0 })) seen.push(batch);
      })(),
    ).rejects.toThrow('connection lost');
    expect(seen.flat()).toEqual([1, 2]);
  });
});

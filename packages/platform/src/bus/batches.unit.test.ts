import { describe, expect, it } from 'vitest';
import { Batcher } from './batches.js';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Batcher', () => {
  it('batches what has arrived, at most max at a time, in order', async () => {
    const batcher = new Batcher<number>({ max: 2, lingerMs: 0 });
    for (const n of [1, 2, 3, 4, 5]) batcher.push(n);
    batcher.end();
    const batches: number[][] = [];
    for await (const batch of batcher.batches()) batches.push(batch);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('hands over the last items of a burst when the linger ends, with nothing more coming', async () => {
    const batcher = new Batcher<number>({ max: 100, lingerMs: 20 });
    const batches = batcher.batches();
    for (const n of [1, 2, 3]) batcher.push(n);
    const started = Date.now();
    // Nothing more comes and nothing ends: the batch must not wait for a fourth item.
    const first = await Promise.race([batches.next(), tick(2000).then(() => 'still waiting')]);
    expect(first).toEqual({ done: false, value: [1, 2, 3] });
    expect(Date.now() - started).toBeLessThan(1000);
    await batches.return(undefined);
  });

  it('waits for a first item, then lets what arrives during the linger join, and what comes after wait', async () => {
    const batcher = new Batcher<number>({ max: 100, lingerMs: 150 });
    const batches = batcher.batches();
    const first = batches.next();
    await tick(30);
    batcher.push(1);
    await tick(30);
    batcher.push(2);
    expect(await first).toEqual({ done: false, value: [1, 2] });
    batcher.push(3);
    batcher.end();
    expect(await batches.next()).toEqual({ done: false, value: [3] });
    expect(await batches.next()).toEqual({ done: true, value: undefined });
  });

  it('ends its batches early when ended during a linger, and throws the error it ended with after them', async () => {
    const batcher = new Batcher<number>({ max: 100, lingerMs: 60_000 });
    const seen: number[][] = [];
    const reading = (async () => {
      for await (const batch of batcher.batches()) seen.push(batch);
    })();
    batcher.push(1);
    batcher.push(2);
    await tick(20);
    batcher.end(new Error('connection lost'));
    await expect(reading).rejects.toThrow('connection lost');
    expect(seen).toEqual([[1, 2]]);
  });
});

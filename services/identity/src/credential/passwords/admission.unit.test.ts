import { describe, expect, it } from 'vitest';
import { ESTIMATE_HALF_LIFE_MS, PasswordWork } from './admission.js';

/** Work that ends when the test says, on a clock the test moves. */
function harness(slots: number) {
  let now = 0;
  const work = new PasswordWork(slots, () => now);
  const pending: (() => void)[] = [];
  let started = 0;
  const job = (deadline?: number) =>
    work.run(deadline, async () => {
      started += 1;
      await new Promise<void>((end) => pending.push(end));
      return 'done';
    });
  return {
    job,
    /** Ends the oldest running job after `ms`. */
    async finish(ms: number) {
      now += ms;
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
    advance: (ms: number) => {
      now += ms;
    },
    started: () => started,
    now: () => now,
  };
}

const UNAVAILABLE = { code: 'headlesskey_unavailable' };

describe('PasswordWork', () => {
  it('runs at most `slots` at once, the rest in arrival order', async () => {
    const h = harness(2);
    const runs = [h.job(), h.job(), h.job(), h.job()];
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.started()).toBe(2);
    await h.finish(100);
    expect(h.started()).toBe(3);
    await h.finish(100);
    await h.finish(100);
    await h.finish(100);
    expect(await Promise.all(runs)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('queues work on arrival however late it looks, and refuses it only when its turn comes too late', async () => {
    const h = harness(1);
    const first = h.job();
    await h.finish(200); // one piece of work takes about 200 ms
    await first;
    const running = h.job();
    const inTime = h.job(h.now() + 1_000); // its turn at 200, done by 400
    const tooLate = h.job(h.now() + 500); // its turn at 400: 400 + 200 > 500
    const refused = expect(tooLate).rejects.toMatchObject(UNAVAILABLE);
    await h.finish(200);
    await h.finish(200);
    await refused;
    await expect(running).resolves.toBe('done');
    await expect(inTime).resolves.toBe('done');
    expect(h.started()).toBe(3);
  });

  it('refuses a waiter whose deadline passed while it waited, and gives the slot to the next', async () => {
    const h = harness(1);
    const first = h.job();
    await h.finish(100);
    await first;
    const running = h.job();
    const expiring = h.job(h.now() + 250);
    const patient = h.job();
    const refused = expect(expiring).rejects.toMatchObject(UNAVAILABLE);
    h.advance(200);
    await h.finish(0); // the slot frees at 200: 200 + 100 > 250, so `expiring` is refused
    await refused;
    await h.finish(100);
    await expect(running).resolves.toBe('done');
    await expect(patient).resolves.toBe('done');
    expect(h.started()).toBe(3);
  });

  it('starts work only with room for twice the average before the deadline', async () => {
    const h = harness(1);
    const first = h.job();
    await h.finish(200);
    await first;
    await expect(h.job(h.now() + 399)).rejects.toMatchObject(UNAVAILABLE);
    const roomy = h.job(h.now() + 400);
    await h.finish(200);
    await expect(roomy).resolves.toBe('done');
  });

  it('never refuses work without a deadline, nor before it has timed any', async () => {
    const h = harness(1);
    const runs = [h.job(1), h.job(), h.job()];
    for (let i = 0; i < 3; i++) await h.finish(1_000);
    expect(await Promise.all(runs)).toEqual(['done', 'done', 'done']);
  });

  it('lets work through again once a slow spell is over, though refused work is never timed', async () => {
    const h = harness(1);
    const slow = h.job();
    await h.finish(4_000); // a CPU spike: one check took 4 s
    await slow;
    // With 5 s left, 2 × 4 s does not fit: refused at once, and so never timed.
    for (let i = 0; i < 3; i++) await expect(h.job(h.now() + 5_000)).rejects.toMatchObject(UNAVAILABLE);
    h.advance(ESTIMATE_HALF_LIFE_MS); // 4 s faded to 2 s: 2 × 2 s fits in 5 s
    const probe = h.job(h.now() + 5_000);
    await h.finish(10); // the spike is over
    await expect(probe).resolves.toBe('done');
    // Re-timed: a deadline the faded 2 s average would not have allowed now fits.
    const next = h.job(h.now() + 3_500);
    await h.finish(10);
    await expect(next).resolves.toBe('done');
  });

  it('keeps refusing while re-timed work is still slow', async () => {
    const h = harness(1);
    const slow = h.job();
    await h.finish(4_000);
    await slow;
    h.advance(ESTIMATE_HALF_LIFE_MS);
    const probe = h.job(h.now() + 5_000);
    await h.finish(4_000); // still slow: 2 s × 0.8 + 4 s × 0.2 = 2.4 s
    await probe;
    await expect(h.job(h.now() + 4_000)).rejects.toMatchObject(UNAVAILABLE);
  });

  it('frees the slot of work that failed', async () => {
    const work = new PasswordWork(1);
    await expect(work.run(undefined, async () => Promise.reject(new Error('locked')))).rejects.toThrow('locked');
    await expect(work.run(undefined, async () => 'next')).resolves.toBe('next');
  });
});

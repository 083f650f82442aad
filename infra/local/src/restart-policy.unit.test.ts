import { describe, expect, it } from 'vitest';
import { afterCrash, type RestartPolicy } from './restart-policy.js';

const POLICY: RestartPolicy = { maxCrashes: 4, windowMs: 10_000, firstDelayMs: 100, maxDelayMs: 300 };

describe('afterCrash', () => {
  it('waits longer after each recent crash, up to the ceiling', () => {
    const delays: number[] = [];
    let earlier: number[] = [];
    for (const now of [1_000, 2_000, 3_000]) {
      const verdict = afterCrash(POLICY, earlier, now);
      if (!verdict.restart) throw new Error('gave up too early');
      delays.push(verdict.delayMs);
      earlier = verdict.recent;
    }
    expect(delays).toEqual([100, 200, 300]);
  });

  it('gives up on the crash that completes a loop within the window', () => {
    expect(afterCrash(POLICY, [1_000, 2_000, 3_000], 4_000)).toEqual({ restart: false, recent: [1_000, 2_000, 3_000, 4_000] });
  });

  it('forgets crashes older than the window', () => {
    expect(afterCrash(POLICY, [1_000, 2_000, 3_000], 12_500)).toEqual({ restart: true, delayMs: 200, recent: [3_000, 12_500] });
  });
});

import { describe, expect, it } from 'vitest';
import { createHedgePolicy } from './hedge.js';

describe('the hedge policy', () => {
  it('waits the initial delay before anything is answered, at most a third of the timeout', () => {
    const policy = createHedgePolicy({ initialDelayMs: 500 });
    expect(policy.delayMs('a', 5000)).toBe(500);
    expect(policy.delayMs('a', 600)).toBe(200);
  });

  it('follows the answers of each subject: their smoothed time plus four deviations', () => {
    const policy = createHedgePolicy({ minDelayMs: 1 });
    policy.observe('a', 100);
    // First sample: smoothed 100, deviation 50.
    expect(policy.delayMs('a', 5000)).toBe(300);
    policy.observe('a', 100);
    // Deviation 37.5, smoothed 100.
    expect(policy.delayMs('a', 5000)).toBe(250);
    expect(policy.delayMs('b', 5000)).toBe(500);
  });

  it('never hedges sooner than its floor, however fast the answers', () => {
    const policy = createHedgePolicy({ minDelayMs: 50 });
    for (let i = 0; i < 20; i++) policy.observe('a', 1);
    expect(policy.delayMs('a', 5000)).toBe(50);
  });

  it('spends a budget that starts full and refills by a share of each command sent', () => {
    const policy = createHedgePolicy({ burst: 2, ratio: 0.5 });
    expect([policy.spend(), policy.spend(), policy.spend()]).toEqual([true, true, false]);
    policy.sent();
    expect(policy.spend()).toBe(false);
    policy.sent();
    expect(policy.spend()).toBe(true);
    for (let i = 0; i < 10; i++) policy.sent();
    expect([policy.spend(), policy.spend(), policy.spend()]).toEqual([true, true, false]);
  });
});

import { describe, expect, it } from 'vitest';
import { admit, type RateDecision } from './gcra.js';

const RULE = { max: 3, windowMs: 60_000 };

/** Runs requests at the given times through one client's state. */
function replay(times: number[]): RateDecision[] {
  let tat: number | undefined;
  return times.map((now) => {
    const decision = admit(RULE, tat, now);
    if (decision.allowed) tat = decision.tat;
    return decision;
  });
}

describe('admit (GCRA)', () => {
  it('lets the whole budget through at once, then refuses, saying when the next one fits', () => {
    const decisions = replay([0, 0, 0, 0]);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterMs: 20_000 });
  });

  it('refills one request per window / max', () => {
    expect(replay([0, 0, 0, 19_999, 20_000, 20_001]).map((d) => d.allowed)).toEqual([true, true, true, false, true, false]);
  });

  it('forgets a client that has been quiet for a window', () => {
    expect(replay([0, 0, 0, 60_000, 60_000, 60_000]).map((d) => d.allowed)).toEqual([true, true, true, true, true, true]);
  });

  it('never lets twice the budget through around a window edge', () => {
    expect(replay([59_999, 59_999, 59_999, 60_001, 60_001]).filter((d) => d.allowed)).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import { JITTER, maxAttempts, type RetryPolicy, retryDelayMs, STANDARD_SCHEDULE_S, shortestSpanMs } from './schedule.js';

const standard: RetryPolicy = { schedule: STANDARD_SCHEDULE_S, scale: 1 };

describe('retry schedule', () => {
  it('retries for at least 24 hours over eight attempts', () => {
    expect(maxAttempts(standard)).toBe(8);
    expect(shortestSpanMs(standard)).toBeGreaterThanOrEqual(24 * 3_600_000);
  });

  it('waits the standard delays, lengthened by the jitter and never shortened', () => {
    expect(retryDelayMs(1, standard, 0)).toBe(5_000);
    expect(retryDelayMs(2, standard, 0)).toBe(300_000);
    expect(retryDelayMs(7, standard, 0)).toBe(36_000_000);
    expect(retryDelayMs(1, standard, 0.5)).toBe(5_500);
    expect(retryDelayMs(4, standard, 0.999_999)).toBeLessThanOrEqual(7_200_000 * (1 + JITTER));
    for (let attempt = 1; attempt <= 7; attempt++) {
      for (const random of [0, 0.3, 0.99])
        expect(retryDelayMs(attempt, standard, random)).toBeGreaterThanOrEqual(STANDARD_SCHEDULE_S[attempt - 1]! * 1000);
    }
  });

  it('grows from one attempt to the next', () => {
    const delays = STANDARD_SCHEDULE_S.map((_, i) => retryDelayMs(i + 1, standard, 0)!);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
  });

  it('gives up after the last wait', () => {
    expect(retryDelayMs(8, standard, 0)).toBeNull();
    expect(retryDelayMs(50, standard, 0)).toBeNull();
  });

  it('is shortened for tests by the scale', () => {
    const fast: RetryPolicy = { schedule: STANDARD_SCHEDULE_S, scale: 0.0001 };
    expect(retryDelayMs(7, fast, 0)).toBe(3_600);
    expect(shortestSpanMs(fast)).toBeLessThan(10_000);
  });

  it('keeps the jitter within its bounds whatever random it is given', () => {
    expect(retryDelayMs(1, standard, -5)).toBe(5_000);
    expect(retryDelayMs(1, standard, 7)).toBe(6_000);
  });

  it('refuses a count of attempts that cannot be', () => {
    expect(() => retryDelayMs(0, standard, 0)).toThrow(RangeError);
  });
});

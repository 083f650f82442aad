import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, nextStep, retryAfterMs } from './outcome.js';
import type { RetryPolicy } from './schedule.js';

const policy: RetryPolicy = { schedule: [5, 300, 1800], scale: 1 };
const now = Date.parse('2026-01-01T00:00:00Z');
const response = (status: number, retryAfter?: string) => ({ kind: 'response' as const, status, retryAfter });

describe('nextStep', () => {
  it('counts any 2xx as delivered', () => {
    for (const status of [200, 201, 202, 204, 299]) expect(nextStep(response(status), 1, policy, 0, now)).toEqual({ status: 'delivered' });
  });

  it('retries a redirect on the schedule and says it was not followed', () => {
    expect(nextStep(response(302), 1, policy, 0, now)).toEqual({
      status: 'pending',
      delayMs: 5000,
      error: 'HTTP 302: redirects are not followed',
    });
    expect(nextStep(response(307), 2, policy, 0, now)).toMatchObject({ status: 'pending', delayMs: 300_000 });
  });

  it('gives up at once on 410 Gone and disables the endpoint', () => {
    expect(nextStep(response(410), 1, policy, 0, now)).toMatchObject({ status: 'dead', disableEndpoint: true });
  });

  it('retries other statuses and no answer at all on the schedule', () => {
    expect(nextStep(response(500), 1, policy, 0, now)).toEqual({ status: 'pending', delayMs: 5000, error: 'HTTP 500' });
    expect(nextStep(response(404), 2, policy, 0, now)).toMatchObject({ status: 'pending', delayMs: 300_000 });
    expect(nextStep({ kind: 'error', error: 'connection refused' }, 3, policy, 0, now)).toEqual({
      status: 'pending',
      delayMs: 1_800_000,
      error: 'connection refused',
    });
  });

  it('dead-letters after the last attempt', () => {
    expect(nextStep(response(500), 4, policy, 0, now)).toEqual({
      status: 'dead',
      error: 'HTTP 500; gave up after 4 attempts',
      disableEndpoint: false,
    });
  });

  it('honours Retry-After on 429, 502, 503 and 504, never retrying sooner than the schedule', () => {
    for (const status of [429, 502, 503, 504]) {
      expect(nextStep(response(status, '120'), 1, policy, 0, now)).toMatchObject({ delayMs: 120_000 });
      expect(nextStep(response(status, '1'), 1, policy, 0, now)).toMatchObject({ delayMs: 5000 });
    }
    expect(nextStep(response(503, 'Thu, 01 Jan 2026 01:00:00 GMT'), 1, policy, 0, now)).toMatchObject({ delayMs: 3_600_000 });
  });

  it('ignores Retry-After on other statuses, and an unreadable one', () => {
    expect(nextStep(response(500, '120'), 1, policy, 0, now)).toMatchObject({ delayMs: 5000 });
    expect(nextStep(response(503, 'soon'), 1, policy, 0, now)).toMatchObject({ delayMs: 5000 });
  });

  it('caps how long Retry-After can park a delivery', () => {
    expect(nextStep(response(429, '999999999'), 1, policy, 0, now)).toMatchObject({ delayMs: MAX_RETRY_AFTER_MS });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });

  it('refuses anything else', () => {
    for (const value of ['-1', '1.5', 'tomorrow', '', '2026-01-01T00:00:10Z']) expect(retryAfterMs(value, now)).toBeUndefined();
  });
});

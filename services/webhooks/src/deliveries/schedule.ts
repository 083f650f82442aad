/**
 * The Standard Webhooks retry schedule: after the first attempt, wait 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h and 10 h — eight attempts over more than 27 hours.
 */
export const STANDARD_SCHEDULE_S: readonly number[] = Object.freeze([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);

/** Each wait is lengthened by up to this fraction, never shortened, so retries of many deliveries spread out. */
export const JITTER = 0.2;

export interface RetryPolicy {
  /** Seconds to wait after each failed attempt. */
  schedule: readonly number[];
  scale: number;
}

/** How many attempts a delivery gets: the first, and one after each wait. */
export function maxAttempts(policy: RetryPolicy): number {
  return policy.schedule.length + 1;
}

/**
 * How long to wait after `failedAttempts` attempts failed, or null when none is left. `random`
 * (from [0, 1)) picks the jitter; the function itself reads no clock and no random source.
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: number): number | null {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new RangeError(`failed attempts must be at least 1, got ${failedAttempts}`);
  const wait = policy.schedule[failedAttempts - 1];
  if (wait === undefined) return null;
  const jitter = 1 + JITTER * Math.min(Math.max(random, 0), 1);
  return Math.round(wait * 1000 * policy.scale * jitter);
}

/** The shortest time from the first attempt to the last: what the jitter can only lengthen. */
export function shortestSpanMs(policy: RetryPolicy): number {
  return policy.schedule.reduce((sum, wait) => sum + wait * 1000 * policy.scale, 0);
}

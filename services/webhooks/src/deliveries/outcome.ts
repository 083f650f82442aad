import { type RetryPolicy, retryDelayMs } from './schedule.js';

/** What one attempt came to: an HTTP answer, or no answer at all. */
export type AttemptResult = { kind: 'response'; status: number; retryAfter?: string } | { kind: 'error'; error: string };

/** What becomes of the delivery after an attempt. */
export type NextStep =
  | { status: 'delivered' }
  | { status: 'pending'; delayMs: number; error: string }
  | { status: 'dead'; error: string; disableEndpoint: boolean };

/** Statuses whose `Retry-After` is honoured (Standard Webhooks: throttling and gateway trouble). */
const RETRY_AFTER_STATUSES = new Set([429, 502, 503, 504]);
/** A receiver cannot park a delivery for longer than this with `Retry-After`. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * Decides after an attempt: 2xx is delivered; 410 Gone is dead and disables the endpoint; anything
 * else — a redirect (never followed), another status, no answer — is retried on the schedule,
 * no sooner than a `Retry-After` of 429/502/503/504 asks, until the attempts run out.
 */
export function nextStep(result: AttemptResult, attemptsMade: number, policy: RetryPolicy, random: number, nowMs: number): NextStep {
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) return { status: 'delivered' };
  const error = describe(result);
  if (result.kind === 'response' && result.status === 410) return { status: 'dead', error, disableEndpoint: true };
  const scheduled = retryDelayMs(attemptsMade, policy, random);
  if (scheduled === null) return { status: 'dead', error: `${error}; gave up after ${attemptsMade} attempts`, disableEndpoint: false };
  let delayMs = scheduled;
  if (result.kind === 'response' && RETRY_AFTER_STATUSES.has(result.status) && result.retryAfter !== undefined) {
    const asked = retryAfterMs(result.retryAfter, nowMs);
    if (asked !== undefined) delayMs = Math.max(delayMs, Math.min(asked, MAX_RETRY_AFTER_MS));
  }
  return { status: 'pending', delayMs, error };
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110), in ms from now; undefined when unreadable. */
export function retryAfterMs(value: string, nowMs: number): number | undefined {
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

function describe(result: AttemptResult): string {
  if (result.kind === 'error') return result.error;
  if (result.status >= 300 && result.status < 400) return `HTTP ${result.status}: redirects are not followed`;
  if (result.status === 410) return 'HTTP 410: the endpoint is gone and was disabled';
  return `HTTP ${result.status}`;
}

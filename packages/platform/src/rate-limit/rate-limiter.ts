import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { type BucketPlace, IN_REQUEST_BUCKET_WAIT_MS, isCasConflict, openInstanceBucket } from '../bus/kv.js';
import { admit, type RateDecision, type RateRule } from './gcra.js';

/** Per-client budgets shared by every process of the instance. */
export interface RateLimiter {
  /**
   * Counts one request of `client` (an IP address, say) against its budget in `scope` (a route),
   * or refuses it without counting. Rejects when the bucket cannot be reached.
   */
  take(scope: string, client: string, rule: RateRule): Promise<RateDecision>;
}

/** The longest window a rule may have: keys outlive their last write by this much, and no more is needed. */
export const MAX_RATE_WINDOW_MS = 3600_000;
/** Past this many lost compare-and-sets in a row, the client is sending faster than its budget anyway. */
const MAX_TRIES = 5;
const SCOPE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Rate limits kept in the instance's rate-limit KV bucket, one key per (scope, client) holding the
 * GCRA's one number. Every update is a compare-and-set on the key's revision, so gateways behind a
 * load balancer share one budget per client and two racing requests never both take the last
 * place. Keys expire an hour after their last write (a client quiet that long has its full budget
 * back anyway), so the bucket holds only recent clients.
 */
export async function openRateLimiter(nc: NatsConnection, place: BucketPlace, now: () => number = Date.now): Promise<RateLimiter> {
  const kv = await openInstanceBucket(nc, place, 'rateLimitBucket', { history: 1, ttl: MAX_RATE_WINDOW_MS }, IN_REQUEST_BUCKET_WAIT_MS);
  return {
    async take(scope, client, rule) {
      if (!SCOPE.test(scope)) throw new Error(`rate limit scope must match ${SCOPE}, got "${scope}"`);
      if (rule.windowMs > MAX_RATE_WINDOW_MS) throw new Error(`rate limit window above ${MAX_RATE_WINDOW_MS} ms`);
      // The client's text never becomes key tokens as it is (an IPv6 address holds colons).
      const key = `${scope}.${Buffer.from(client, 'utf8').toString('hex') || '0'}`;
      for (let i = 0; i < MAX_TRIES; i++) {
        const decision = await tryTake(kv, key, rule, now);
        if (decision) return decision;
      }
      return { allowed: false, retryAfterMs: rule.windowMs / rule.max };
    },
  };
}

/** One read and one conditional write; undefined when another request wrote in between. */
async function tryTake(kv: KV, key: string, rule: RateRule, now: () => number): Promise<RateDecision | undefined> {
  const entry = await kv.get(key);
  const stored = entry?.operation === 'PUT' ? Number(entry.string()) : undefined;
  const decision = admit(rule, Number.isFinite(stored) ? stored : undefined, now());
  if (!decision.allowed) return decision;
  try {
    if (entry) await kv.update(key, String(decision.tat), entry.revision);
    else await kv.create(key, String(decision.tat));
    return decision;
  } catch (err) {
    if (isCasConflict(err)) return undefined;
    throw err;
  }
}

import { clientNetwork, type RateLimiter, type RateRule } from '@headlesskey/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimits } from '../config.js';
import { sendError } from './errors.js';

/** Which of the configured budgets a route spends. */
export type RateBudget = keyof RateLimits;

/** The shared limiter and the budgets in force: what a rate-limited route needs. */
export interface RouteLimits {
  limiter: RateLimiter;
  rules: RateLimits;
}

/**
 * The guard of a rate-limited route, run as the request arrives (before its body is read, and so
 * before any command): each client — `request.ip`, which believes `X-Forwarded-For` only from
 * trusted proxies, or its /64 for IPv6 (see `clientNetwork`) — spends one request of the route's
 * budget, shared by every gateway through the bucket. Over it: `429 headlesskey_rate_limited` with `Retry-After`. Each route counts apart (its
 * `scope`). Should the bucket be unreachable the request goes on, logged: the limit slows abuse
 * down, it does not decide who gets in, and the command itself then meets the same outage.
 */
export function rateLimitGuard(scope: string, rule: RateRule, limiter: RateLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let decision: Awaited<ReturnType<RateLimiter['take']>>;
    try {
      decision = await limiter.take(scope, clientNetwork(request.ip), rule);
    } catch (err) {
      request.log.warn({ err, scope }, 'rate limit bucket unavailable; request let through');
      return;
    }
    if (decision.allowed) return;
    return sendError(reply, {
      code: 'headlesskey_rate_limited',
      details: { retry_after: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) },
    });
  };
}

/** A route's key in the bucket: `/sso/exchange` → `sso-exchange`; the same on every namespace. */
export function rateScope(url: string): string {
  return url.replace(/^\//, '').replace(/[^A-Za-z0-9_-]/g, '-');
}

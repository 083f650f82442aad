import { isIPv6 } from 'node:net';
import type { RateLimiter, RateRule } from '@headlesskey/platform';
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
 * trusted proxies, or its /64 for IPv6 (see `rateClient`) — spends one request of the route's
 * budget, shared by every gateway through the bucket. Over it: `429 headlesskey_rate_limited` with `Retry-After`. Each route counts apart (its
 * `scope`). Should the bucket be unreachable the request goes on, logged: the limit slows abuse
 * down, it does not decide who gets in, and the command itself then meets the same outage.
 */
export function rateLimitGuard(scope: string, rule: RateRule, limiter: RateLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let decision: Awaited<ReturnType<RateLimiter['take']>>;
    try {
      decision = await limiter.take(scope, rateClient(request.ip), rule);
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

/**
 * Who a budget belongs to: an IPv4 address (also when IPv4-mapped), or the /64 network of an IPv6
 * one. A /64 is what one household or subnet is given, as an IPv4 NAT would be: counting each of
 * its 2^64 addresses apart would let one client rotate through them for a fresh budget each time.
 */
export function rateClient(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (`::` filled in, a zone dropped). */
function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => (group.includes('.') ? group : Number.parseInt(group, 16).toString(16)));
}

/** A route's key in the bucket: `/sso/exchange` → `sso-exchange`; the same on every namespace. */
export function rateScope(url: string): string {
  return url.replace(/^\//, '').replace(/[^A-Za-z0-9_-]/g, '-');
}

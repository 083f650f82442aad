import type { RateLimiter } from '@headlesskey/platform';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { rateLimitGuard, rateScope } from './rate-limit.js';

/** One route behind the guard, driven through `inject()`. */
function appWith(limiter: RateLimiter) {
  const app = Fastify({ logger: false });
  app.post('/register', { onRequest: rateLimitGuard('register', { max: 1, windowMs: 60_000 }, limiter) }, async () => ({ ok: true }));
  return app;
}

describe('rateLimitGuard', () => {
  it('answers 429 headlesskey_rate_limited with Retry-After, in whole seconds', async () => {
    const app = appWith({ take: async () => ({ allowed: false, retryAfterMs: 2_500 }) });
    const res = await app.inject({ method: 'POST', url: '/register', payload: {} });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.json()).toEqual({
      code: 'headlesskey_rate_limited',
      message: 'Too many requests. Try again later.',
      data: { status: 429, retry_after: 3 },
    });
  });

  it('lets a request through when the bucket cannot be reached', async () => {
    const app = appWith({ take: async () => Promise.reject(new Error('no JetStream')) });
    const res = await app.inject({ method: 'POST', url: '/register', payload: {} });
    expect(res.statusCode).toBe(200);
  });
});

describe('rateScope', () => {
  it('names a route the same on every namespace, in key-safe characters', () => {
    expect(rateScope('/register')).toBe('register');
    expect(rateScope('/sso/exchange')).toBe('sso-exchange');
  });
});

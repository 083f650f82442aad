import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendUrls, dropInstance, uniqueInstance } from '../../../../test/support/instance.js';
import { openRateLimiter, type RateLimiter } from './rate-limiter.js';

const names = uniqueInstance();
const RULE = { max: 2, windowMs: 60_000 };
let nc: NatsConnection;
let clock = 1_000_000;
let one: RateLimiter;
let two: RateLimiter;

beforeAll(async () => {
  nc = await connect({ servers: backendUrls().natsUrl });
  // Two processes' limiters on one bucket, on a clock the test moves.
  one = await openRateLimiter(nc, { names, streamReplicas: 1 }, () => clock);
  two = await openRateLimiter(nc, { names, streamReplicas: 1 }, () => clock);
});

afterAll(async () => {
  await nc?.close();
  await dropInstance(names);
});

describe('openRateLimiter', () => {
  it('keeps one budget per scope and client, whichever process counts', async () => {
    expect(await one.take('register', '203.0.113.1', RULE)).toMatchObject({ allowed: true });
    expect(await two.take('register', '203.0.113.1', RULE)).toMatchObject({ allowed: true });
    expect(await one.take('register', '203.0.113.1', RULE)).toEqual({ allowed: false, retryAfterMs: 30_000 });
    expect(await two.take('forgot-password', '203.0.113.1', RULE)).toMatchObject({ allowed: true });
    expect(await two.take('register', '203.0.113.2', RULE)).toMatchObject({ allowed: true });
    clock += 30_000;
    expect(await two.take('register', '203.0.113.1', RULE)).toMatchObject({ allowed: true });
  });

  it('takes exactly the budget under racing requests', async () => {
    const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).take('race', '2001:db8::/64', RULE)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(2);
  });

  it('refuses a scope that is not key-safe', async () => {
    await expect(one.take('a.b', '203.0.113.1', RULE)).rejects.toThrow(/scope/);
  });
});

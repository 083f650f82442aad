import { DEFAULT_SETTINGS } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_WINDOW_MS, MAIL_ACCOUNT_LIMITS, MAIL_LIMITS, mailThrottles, signInThrottles } from './throttles.js';

const settings = { ...DEFAULT_SETTINGS, max_attempts: 5, account_max_attempts: 100, ip_max_attempts: 20, window: 900, lockout: 600 };
const summary = (throttles: ReturnType<typeof signInThrottles>) => throttles.map((t) => [t.key, t.counts, t.limits.maxAttempts]);

describe('sign-in throttles', () => {
  it('go through the address, the account from it, then the account from everywhere', () => {
    const throttles = signInThrottles(settings, '203.0.113.9', { userId: 7, typed: 'Ada', knownDevice: false });
    expect(summary(throttles)).toEqual([
      ['ip:203.0.113.9', 'after', 20],
      ['account:7|ip:203.0.113.9', 'before', 5],
      ['account:7', 'before', 100],
    ]);
    expect(throttles[1]?.limits.windowMs).toBe(900_000);
    expect(throttles[2]?.limits).toEqual({ maxAttempts: 100, windowMs: ACCOUNT_WINDOW_MS, lockoutMs: 600_000 });
  });

  it('let a known device skip only the account-wide count', () => {
    const throttles = signInThrottles(settings, '203.0.113.9', { userId: 7, typed: 'Ada', knownDevice: true });
    expect(throttles.map((t) => t.key)).toEqual(['ip:203.0.113.9', 'account:7|ip:203.0.113.9']);
  });

  it('count an unknown name as an account, and lock both with one answer', () => {
    const ghost = signInThrottles(settings, '203.0.113.9', { userId: undefined, typed: 'Ghost', knownDevice: false });
    const known = signInThrottles(settings, '203.0.113.9', { userId: 7, typed: 'Ada', knownDevice: false });
    expect(ghost.map((t) => t.key)).toEqual(['ip:203.0.113.9', 'name:ghost|ip:203.0.113.9', 'name:ghost']);
    for (const i of [1, 2]) expect(ghost[i]?.refusal(60)).toEqual(known[i]?.refusal(60));
    const facts = known[2]?.lockedFacts?.(new Date(0), 600);
    expect(facts?.events[0]?.data).toMatchObject({ user_id: 7, scope: 'account', lockout_seconds: 600 });
  });
});

describe('reset mail throttles', () => {
  it('count per account and asking address, under a ceiling per account', () => {
    expect(mailThrottles(7, '2001:db8:0:1::5').map((t) => [t.key, t.limits])).toEqual([
      ['mail:7|ip:2001:0db8:0000:0001::/64', MAIL_LIMITS],
      ['mail:7', MAIL_ACCOUNT_LIMITS],
    ]);
  });
});

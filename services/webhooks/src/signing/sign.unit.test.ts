import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSecret, secretKey } from './secret.js';
import { signature, signatureHeader, webhookHeaders } from './sign.js';

describe('signature', () => {
  it('matches the test vector of the Standard Webhooks specification', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('is verified by the reference library, with every live secret', () => {
    const current = newSecret();
    const previous = newSecret();
    const body = JSON.stringify({ type: 'auth.login.failed', timestamp: '2026-01-01T00:00:00.000Z', data: { user_id: 4 } });
    const now = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders([current, previous], '0190c6a0-0000-7000-8000-000000000001', now, body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });

  it('needs at least one secret', () => {
    expect(() => signatureHeader([], 'id', 1, '{}')).toThrow();
  });
});

describe('secrets', () => {
  it('are whsec_ and 32 random bytes, different every time', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(secret)).toHaveLength(32);
    expect(newSecret()).not.toBe(secret);
  });

  it('refuse what is not one', () => {
    expect(() => secretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toThrow();
    expect(() => secretKey('whsec_')).toThrow();
  });
});

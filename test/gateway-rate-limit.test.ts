import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtraGateway, startExtraGateway } from './support/gateway.js';
import { type HttpReply, startTestSystem, type TestSystem } from './support/system.js';
import { newUser } from './support/users.js';

/**
 * `/register`, `/forgot-password` and `/sso/exchange` spend a per client IP budget before any
 * command is sent: here 3 per hour each, shared by two gateways of one instance. The client IP is
 * the one a trusted proxy (loopback, here) names in `X-Forwarded-For`.
 */
describe('per-IP rate limits of the public routes', () => {
  const env = {
    HEADLESSKEY_TRUSTED_PROXIES: '127.0.0.1',
    HEADLESSKEY_RATE_LIMIT: '3',
    HEADLESSKEY_SSO_RATE_LIMIT: '3',
    HEADLESSKEY_RATE_LIMIT_WINDOW: '3600',
  };
  let system: TestSystem;
  let other: ExtraGateway;

  beforeAll(async () => {
    system = await startTestSystem({ env });
    other = await startExtraGateway(system.instance, env);
  });
  afterAll(async () => {
    await other?.stop();
    await system?.stop();
  });

  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  function expectRateLimited(reply: HttpReply) {
    expect(reply.status).toBe(429);
    expect(reply.body).toMatchObject({ code: 'headlesskey_rate_limited', message: expect.any(String), data: { status: 429 } });
    const retryAfter = Number(reply.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
  }

  it('stops probing which accounts exist after the budget, per IP, sending nothing on', async () => {
    const taken = newUser('taken');
    expect((await system.post('/register', taken, from('203.0.113.10'))).status).toBe(201);
    for (let i = 0; i < 2; i++) expect((await system.post('/register', taken, from('203.0.113.10'))).status).toBe(409);

    const fresh = newUser('fresh');
    expectRateLimited(await system.post('/register', fresh, from('203.0.113.10')));
    // Refused as it arrives: a body that would not even parse gets the same answer.
    expectRateLimited(await system.post('/register', '{"username":', { 'content-type': 'application/json', ...from('203.0.113.10') }));
    // The legacy namespace is the same route, with the same budget.
    const legacy = await system.request('POST', '/wp-json/wpauthapi/v1/register', fresh, from('203.0.113.10'));
    expectRateLimited(legacy);

    // Another client behind the same proxy has its own budget, and the refused registration never happened.
    expect((await system.post('/register', fresh, from('203.0.113.11'))).status).toBe(201);
  });

  it('shares one budget per IP between gateways', async () => {
    const user = newUser('mail');
    expect((await system.post('/register', user, from('198.51.100.1'))).status).toBe(201);
    const forgot = { login: user.username, delivery: 'link' };
    expect((await system.post('/forgot-password', forgot, from('198.51.100.20'))).status).toBe(200);
    expect((await other.post('/forgot-password', forgot, from('198.51.100.20'))).status).toBe(200);
    expect((await system.post('/forgot-password', forgot, from('198.51.100.20'))).status).toBe(200);
    expectRateLimited(await other.post('/forgot-password', forgot, from('198.51.100.20')));
    expectRateLimited(await system.post('/forgot-password', forgot, from('198.51.100.20')));
    // Each route counts apart: this IP may still register.
    expect((await other.post('/register', newUser('apart'), from('198.51.100.20'))).status).toBe(201);
  });

  it('lets exactly the budget through when one IP races both gateways', async () => {
    const forgot = { login: 'nobody-in-particular', delivery: 'link' };
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? system : other).post('/forgot-password', forgot, from('198.51.100.77'))),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(3);
    for (const refused of replies.filter((r) => r.status !== 200)) expectRateLimited(refused);
  });

  it('counts an IPv6 client by its /64, so rotating addresses within it gains nothing', async () => {
    const forgot = { login: 'nobody-in-particular', delivery: 'otp' };
    for (const ip of ['2001:db8:0:1::7', '2001:db8:0:1::8', '2001:db8:0:1:ffff::9']) {
      expect((await system.post('/forgot-password', forgot, from(ip))).status).toBe(200);
    }
    expectRateLimited(await other.post('/forgot-password', forgot, from('2001:db8:0:1::a')));
    expect((await other.post('/forgot-password', forgot, from('2001:db8:0:2::7'))).status).toBe(200);
  });

  it('limits SSO exchanges per IP, with their own budget', async () => {
    const exchange = { site_key: 'nowhere', token: 'a.b.c', signature: 'ab'.repeat(32) };
    for (let i = 0; i < 3; i++) {
      const refused = await (i % 2 === 0 ? system : other).post('/sso/exchange', exchange, from('192.0.2.30'));
      expect(refused).toMatchObject({ status: 401, body: { code: 'headlesskey_sso_unknown_site' } });
    }
    expectRateLimited(await other.post('/sso/exchange', exchange, from('192.0.2.30')));
    expect((await system.post('/sso/exchange', exchange, from('192.0.2.31'))).status).toBe(401);
  });
});

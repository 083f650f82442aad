import type { RequestContext } from '@headlesskey/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tokenReply } from '../test/harness.js';

/** Commands over a real NATS: what reaches the services, and how their replies become HTTP. */
let h: Harness;
let app: FastifyInstance;
const NS = '/wp-json/headlesskey/v1';
const LOGIN = { username: 'admin', password: 'correct horse battery staple' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  h = await startHarness();
  app = h.app();
});
afterEach(() => h.reset());
afterAll(() => h.close());

const post = (url: string, payload: object, headers: Record<string, string> = {}, target = app) =>
  target.inject({ method: 'POST', url: `${NS}${url}`, payload, headers });
const contextOf = (call: { payload: Record<string, unknown> } | undefined) => call?.payload.context as RequestContext;

describe('POST /token', () => {
  it('sends identity.login with the body and the request context, and answers its data', async () => {
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    const res = await post('/token', { ...LOGIN, device: 'phone-1', role: 'administrator' }, { 'user-agent': 'app/1.0' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(tokenReply());
    expect(calls).toHaveLength(1);
    // Fields outside the schema (`role`) never cross the bus.
    expect(calls[0]?.payload).toEqual({
      ...LOGIN,
      device: 'phone-1',
      context: { ip: '127.0.0.1', userAgent: 'app/1.0', requestId: expect.stringMatching(UUID), device: 'phone-1' },
    });
  });

  it('answers only the fields of the contract, whatever else a reply carries', async () => {
    const leaky = tokenReply({ user: { ...tokenReply().user, user_pass: '$2b$12$hash' }, debug: 'x' });
    await h.respond('identity', 'login', () => ({ ok: true, data: leaky }));
    const res = await post('/token', LOGIN);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('user_pass');
    expect(res.body).not.toContain('debug');
  });

  it('maps a refusal to its status and the contract body', async () => {
    await h.respond('identity', 'login', () => ({ ok: false, error: { code: 'headlesskey_invalid_credentials' } }));
    const res = await post('/token', LOGIN);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      code: 'headlesskey_invalid_credentials',
      message: 'Invalid username or password.',
      data: { status: 403 },
    });
  });

  it('passes a lockout on with Retry-After and the service message', async () => {
    const error = { code: 'headlesskey_account_locked', message: 'Locked for 15 minutes.', details: { retry_after: 900 } } as const;
    await h.respond('identity', 'login', () => ({ ok: false, error }));
    const res = await post('/token', LOGIN);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('900');
    expect(res.json()).toEqual({
      code: 'headlesskey_account_locked',
      message: 'Locked for 15 minutes.',
      data: { status: 429, retry_after: 900 },
    });
  });

  it('answers 503 headlesskey_unavailable with Retry-After when no service listens', async () => {
    const res = await post('/token', LOGIN);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ code: 'headlesskey_unavailable', data: { status: 503 } });
  });

  it('answers 503 when the service does not answer within the command timeout', async () => {
    const impatient = h.app({}, 200);
    await h.respond('identity', 'login', () => undefined);
    const started = Date.now();
    const res = await post('/token', LOGIN, {}, impatient);
    expect(res.statusCode).toBe(503);
    // The configured 200 ms, not the 5 s default: a wide margin, so a loaded machine cannot flake it.
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('errors that must not leak', () => {
  const SECRET = 'SELECT user_pass FROM wp_users WHERE user_login = $1';
  const expectGeneric500 = (res: { statusCode: number; body: string; json(): unknown }) => {
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ code: 'headlesskey_internal_error', message: 'An unexpected error occurred.', data: { status: 500 } });
    expect(res.body).not.toMatch(/SELECT|user_pass|stack|at .*\.js/);
  };

  it('hides an exception thrown while handling the reply (a service sent bytes that are not JSON)', async () => {
    await h.respond('identity', 'login', () => new TextEncoder().encode(SECRET));
    expectGeneric500(await post('/token', LOGIN));
  });

  it("hides a service's internal error message and details", async () => {
    const error = { code: 'headlesskey_internal_error', message: SECRET, details: { sql: SECRET } } as const;
    await h.respond('identity', 'login', () => ({ ok: false, error }));
    expectGeneric500(await post('/token', LOGIN));
  });

  it('hides a reply that breaks its schema, and an unknown error code', async () => {
    await h.respond('identity', 'login', () => ({ ok: true, data: { token: SECRET } }));
    expectGeneric500(await post('/token', LOGIN));
    await h.reset();
    await h.respond('identity', 'login', () => ({ ok: false, error: { code: 'pg_unique_violation', message: SECRET } }) as never);
    expectGeneric500(await post('/token', LOGIN));
  });
});

describe('POST /register', () => {
  const BODY = { username: 'johndoe', email: 'john@example.com', password: 'a long enough passphrase', name: 'John Doe' };
  const REPLY = {
    user_id: 45,
    user: { ID: 45, user_login: 'johndoe', user_email: 'john@example.com', display_name: 'John Doe', roles: ['subscriber'] },
    token_response: { token: 't', expiration: '2023-10-27T10:00:00+00:00', expires_in: 3600, jti: 'j' },
  };

  it('sends identity.register and answers 201', async () => {
    const calls = await h.respond('identity', 'register', () => ({ ok: true, data: REPLY }));
    const res = await post('/register', BODY);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual(REPLY);
    expect(calls[0]?.payload).toMatchObject(BODY);
  });

  it('maps a taken name to 409', async () => {
    await h.respond('identity', 'register', () => ({ ok: false, error: { code: 'headlesskey_user_exists' } }));
    const res = await post('/register', BODY);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('headlesskey_user_exists');
  });
});

describe('POST /token/validate', () => {
  const CLAIMS = { iss: 'https://example.com', aud: 'headlesskey', iat: 1, nbf: 1, exp: 2, jti: 'j', sub: '1', sid: 's' };
  const VALID = { valid: true, data: { ...CLAIMS, data: { ID: 1, user_login: 'admin', roles: ['administrator'] } } };
  /** What the tokens service answers: the plugin's body, and the roles held now, which the route does not show. */
  const VALIDATED = { ...VALID, roles: ['administrator'] };

  it('takes the token from the body', async () => {
    const calls = await h.respond('tokens', 'validate', () => ({ ok: true, data: VALIDATED }));
    const res = await post('/token/validate', { token: 'body.token.sig' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(VALID);
    expect(calls[0]?.payload.token).toBe('body.token.sig');
  });

  it('takes the token from Authorization: Bearer when the body has none', async () => {
    const calls = await h.respond('tokens', 'validate', () => ({ ok: true, data: VALIDATED }));
    const res = await app.inject({ method: 'POST', url: `${NS}/token/validate`, headers: { authorization: 'bearer header.token.sig' } });
    expect(res.statusCode).toBe(200);
    expect(calls[0]?.payload.token).toBe('header.token.sig');
  });

  it('never reads a token from the query string', async () => {
    const calls = await h.respond('tokens', 'validate', () => ({ ok: true, data: VALIDATED }));
    const res = await app.inject({ method: 'POST', url: `${NS}/token/validate?token=query.token.sig` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'rest_missing_callback_param',
      message: 'Missing parameter(s): token',
      data: { status: 400, params: ['token'] },
    });
    expect(calls).toHaveLength(0);
  });

  it('answers a token over the limit, in the body or the header, as an invalid token without asking tokens', async () => {
    const calls = await h.respond('tokens', 'validate', () => ({ ok: true, data: VALIDATED }));
    const big = 'a'.repeat(8193);
    const fromHeader = await app.inject({ method: 'POST', url: `${NS}/token/validate`, headers: { authorization: `Bearer ${big}` } });
    const fromBody = await post('/token/validate', { token: big });
    for (const res of [fromHeader, fromBody]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({
        code: 'headlesskey_invalid_token',
        data: { status: 401, valid: false, reason: 'token too large' },
      });
    }
    expect(calls).toHaveLength(0);
  });

  it('answers token errors with 401, valid: false and the reason', async () => {
    const error = { code: 'headlesskey_invalid_token', details: { reason: 'signature' } } as const;
    await h.respond('tokens', 'validate', () => ({ ok: false, error }));
    const res = await post('/token/validate', { token: 'forged.token.sig' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      code: 'headlesskey_invalid_token',
      message: 'Invalid token.',
      data: { status: 401, valid: false, reason: 'signature' },
    });
  });
});

describe('request context', () => {
  it('caps the user agent at 1024 characters and gives each request its own id', async () => {
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    await post('/token', LOGIN, { 'user-agent': 'u'.repeat(2000), 'request-id': 'chosen-by-client' });
    await post('/token', LOGIN);
    const [first, second] = calls.map(contextOf);
    expect(first?.userAgent).toBe('u'.repeat(1024));
    expect(first?.requestId).toMatch(UUID);
    expect(second?.requestId).toMatch(UUID);
    expect(first?.requestId).not.toBe(second?.requestId);
  });

  it('names the device from X-Device-Id when the body does not', async () => {
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    await post('/token', LOGIN, { 'x-device-id': 'tablet-7' });
    await post('/token', { ...LOGIN, device: 'phone-1' }, { 'x-device-id': 'tablet-7' });
    expect(calls.map((c) => contextOf(c).device)).toEqual(['tablet-7', 'phone-1']);
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    await app.inject({
      method: 'POST',
      url: `${NS}/token`,
      payload: LOGIN,
      remoteAddress: '198.51.100.7',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(contextOf(calls[0]).ip).toBe('198.51.100.7');
  });

  it('believes X-Forwarded-For only from a trusted proxy, and only up to the first untrusted hop', async () => {
    const proxied = h.app({ HEADLESSKEY_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1' });
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    const send = (remoteAddress: string, xff: string) =>
      proxied.inject({ method: 'POST', url: `${NS}/token`, payload: LOGIN, remoteAddress, headers: { 'x-forwarded-for': xff } });
    await send('10.1.2.3', '203.0.113.9');
    await send('198.51.100.7', '203.0.113.9');
    await send('192.0.2.1', '6.6.6.6, 203.0.113.9, 10.0.0.8');
    expect(calls.map((c) => contextOf(c).ip)).toEqual(['203.0.113.9', '198.51.100.7', '203.0.113.9']);
  });
});

describe('GET /readyz', () => {
  it('answers 503 naming the services that did not answer', async () => {
    await h.respond('identity', 'ping', () => ({ ok: true, data: { service: 'identity', store: true } }));
    await h.respond('tokens', 'ping', () => ({ ok: true, data: { service: 'tokens', store: false } }));
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({
      code: 'headlesskey_unavailable',
      data: {
        status: 503,
        services: { identity: 'ok', tokens: 'store_unreachable', audit: 'unavailable', webhooks: 'unavailable' },
        failed: ['tokens', 'audit', 'webhooks'],
      },
    });
  });

  it('answers 200 once every service answers its ping', async () => {
    for (const service of ['identity', 'tokens', 'audit', 'webhooks'] as const) {
      await h.respond(service, 'ping', () => ({ ok: true, data: { service, store: true } }));
    }
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', services: { identity: 'ok', tokens: 'ok', audit: 'ok', webhooks: 'ok' } });
  });
});

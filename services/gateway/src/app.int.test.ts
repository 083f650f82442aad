import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tokenReply } from '../test/harness.js';

/** The HTTP surface: bodies, media types, limits, routing, namespaces. Commands are in app.commands.int.test.ts. */
let h: Harness;
let app: FastifyInstance;
const TOKEN = '/wp-json/headlesskey/v1/token';

beforeAll(async () => {
  h = await startHarness();
  app = h.app();
});
afterEach(() => h.reset());
afterAll(() => h.close());

const json = (url: string, payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

describe('body validation', () => {
  it('does not coerce types: an array or a number is not a string, and no command is sent', async () => {
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    const res = await json(TOKEN, '{"username":["admin"],"password":1}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): username, password',
      data: {
        status: 400,
        params: { username: 'username is not of type string.', password: 'password is not of type string.' },
      },
    });
    expect(calls).toHaveLength(0);
  });

  it('names every missing field, and reports missing before wrong types', async () => {
    const res = await json(TOKEN, '{"device":5}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 'rest_missing_callback_param',
      message: 'Missing parameter(s): username, password',
      data: { status: 400, params: ['username', 'password'] },
    });
  });

  it('treats a request with no body as one with no parameters', async () => {
    const res = await app.inject({ method: 'POST', url: TOKEN });
    expect(res.statusCode).toBe(400);
    expect(res.json().data.params).toEqual(['username', 'password']);
  });

  it('checks lengths and patterns from the contract schema', async () => {
    const res = await json('/wp-json/headlesskey/v1/register', JSON.stringify({ username: 'u', email: 'not-an-email', password: '' }));
    expect(res.statusCode).toBe(400);
    const { code, data } = res.json();
    expect(code).toBe('rest_invalid_param');
    expect(Object.keys(data.params).sort()).toEqual(['email', 'password']);
    expect(data.params.password).toBe('password must be at least 1 character long.');
  });
});

describe('body parsing', () => {
  it.each([
    ['malformed JSON', '{"username":'],
    ['a JSON array', '[{"username":"admin","password":"x"}]'],
    ['a JSON string', '"admin"'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['a __proto__ key', '{"username":"a","password":"b","__proto__":{"isAdmin":true}}'],
    ['a constructor.prototype key', '{"username":"a","password":"b","constructor":{"prototype":{"isAdmin":true}}}'],
  ])('answers headlesskey_invalid_json to %s', async (_what, payload) => {
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    const res = await json(TOKEN, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'headlesskey_invalid_json', message: expect.any(String), data: { status: 400 } });
    expect(calls).toHaveLength(0);
  });

  it.each(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/vnd.api+json'])(
    'answers 415 to %s',
    async (contentType) => {
      const res = await json(TOKEN, 'username=a&password=b', contentType);
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ code: 'headlesskey_unsupported_media_type', data: { status: 415 } });
    },
  );

  it('answers 415 to a body without a content type', async () => {
    const res = await app.inject({ method: 'POST', url: TOKEN, payload: Buffer.from('{"username":"a"}') });
    expect(res.statusCode).toBe(415);
  });

  it('answers 413 to a body over the limit (16 KiB by default)', async () => {
    const res = await json(TOKEN, JSON.stringify({ username: 'a', password: 'x'.repeat(20 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'headlesskey_payload_too_large', data: { status: 413 } });
  });

  it('takes the limit from HEADLESSKEY_BODY_LIMIT', async () => {
    const small = h.app({ HEADLESSKEY_BODY_LIMIT: '2048' });
    const res = await small.inject({
      method: 'POST',
      url: TOKEN,
      payload: JSON.stringify({ username: 'a', password: 'x'.repeat(3000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
  });

  it.each(['application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8'])(
    'accepts %s',
    async (contentType) => {
      const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
      const payload = contentType.startsWith('application/json')
        ? '{"username":"admin","password":"pa ss&word"}'
        : 'username=admin&password=pa+ss%26word';
      const res = await json(TOKEN, payload, contentType);
      expect(res.statusCode).toBe(200);
      expect(calls[0]?.payload).toMatchObject({ username: 'admin', password: 'pa ss&word' });
    },
  );

  it('refuses a repeated form field as the wrong type rather than picking one value', async () => {
    const res = await json(TOKEN, 'username=admin&username=root&password=x', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(400);
    expect(res.json().data.params).toEqual({ username: 'username is not of type string.' });
  });
});

describe('routing', () => {
  it.each([
    ['GET', '/wp-json/headlesskey/v1/nope'],
    ['GET', '/nope'],
    ['GET', TOKEN],
    ['DELETE', '/wp-json/headlesskey/v1/register'],
    ['GET', '/wp-json/headlesskey/v1/%c0'],
  ] as const)('answers headlesskey_not_found to %s %s', async (method, url) => {
    const res = await app.inject({ method, url });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      code: 'headlesskey_not_found',
      message: 'No route was found matching the URL and request method.',
      data: { status: 404 },
    });
  });

  it('answers liveness without the bus', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('lists the namespace routes with their arguments, as WordPress does', async () => {
    const res = await app.inject({ method: 'GET', url: '/wp-json/headlesskey/v1' });
    expect(res.statusCode).toBe(200);
    const index = res.json();
    expect(index.namespace).toBe('headlesskey/v1');
    expect(Object.keys(index.routes)).toEqual(
      expect.arrayContaining(['/headlesskey/v1', '/headlesskey/v1/token', '/headlesskey/v1/token/validate', '/headlesskey/v1/register']),
    );
    expect(index.routes['/headlesskey/v1/token']).toEqual({
      namespace: 'headlesskey/v1',
      methods: ['POST'],
      endpoints: [
        {
          methods: ['POST'],
          args: {
            username: { type: 'string', required: true },
            password: { type: 'string', required: true },
            device: { type: 'string', required: false },
            device_secret: { type: 'string', required: false },
          },
        },
      ],
    });
  });
});

describe('namespaces', () => {
  it('serves the legacy wpauthapi/v1 alias by default, with its own index', async () => {
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    const res = await json('/wp-json/wpauthapi/v1/token', '{"username":"admin","password":"x"}');
    expect(res.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    const index = await app.inject({ method: 'GET', url: '/wp-json/wpauthapi/v1' });
    expect(index.json().namespace).toBe('wpauthapi/v1');
    expect(Object.keys(index.json().routes)).toContain('/wpauthapi/v1/token');
  });

  it('drops the alias when HEADLESSKEY_LEGACY_NAMESPACE=false', async () => {
    const plain = h.app({ HEADLESSKEY_LEGACY_NAMESPACE: 'false' });
    const res = await plain.inject({ method: 'POST', url: '/wp-json/wpauthapi/v1/token', payload: { username: 'a', password: 'b' } });
    expect(res.statusCode).toBe(404);
    expect((await plain.inject({ method: 'GET', url: '/wp-json/headlesskey/v1' })).statusCode).toBe(200);
  });

  it('moves every route when the namespace and version change', async () => {
    const custom = h.app({ HEADLESSKEY_REST_NAMESPACE: 'my-custom-auth', HEADLESSKEY_REST_VERSION: 'v2' });
    const calls = await h.respond('identity', 'login', () => ({ ok: true, data: tokenReply() }));
    const moved = await custom.inject({
      method: 'POST',
      url: '/wp-json/my-custom-auth/v2/token',
      payload: { username: 'a', password: 'b' },
    });
    expect(moved.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
    const old = await custom.inject({ method: 'POST', url: TOKEN, payload: { username: 'a', password: 'b' } });
    expect(old.statusCode).toBe(404);
    const index = await custom.inject({ method: 'GET', url: '/wp-json/my-custom-auth/v2' });
    expect(Object.keys(index.json().routes)).toContain('/my-custom-auth/v2/token');
  });

  it('mounts once when the configured namespace is the legacy one', async () => {
    const legacy = h.app({ HEADLESSKEY_REST_NAMESPACE: 'wpauthapi', HEADLESSKEY_REST_VERSION: 'v1' });
    await legacy.ready();
    const res = await legacy.inject({ method: 'GET', url: '/wp-json/wpauthapi/v1' });
    expect(res.statusCode).toBe(200);
  });
});

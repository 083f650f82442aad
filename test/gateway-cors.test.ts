import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtraGateway, startExtraGateway } from './support/gateway.js';
import type { HttpReply } from './support/system.js';
import { startTestSystem, type TestSystem } from './support/system.js';

const LISTED = 'https://app.example.com';
const ALSO_LISTED = 'http://localhost:3000';
const API = '/wp-json/headlesskey/v1';

type Gateway = Pick<TestSystem, 'request'>;

/** A browser's preflight before `method` with `headers` from `origin`. */
const preflight = (gateway: Gateway, path: string, origin: string, method = 'GET', headers = 'authorization') =>
  gateway.request('OPTIONS', path, undefined, {
    origin,
    'access-control-request-method': method,
    'access-control-request-headers': headers,
  });

/** `Vary` as a list of lower-case names. */
const varyOf = (reply: HttpReply) => (reply.headers.vary ?? '').split(',').map((name) => name.trim().toLowerCase());

/** The answer tells no browser it may read it, nor send credentials. */
function expectNoGrant(reply: HttpReply): void {
  expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
  expect(varyOf(reply)).toContain('origin');
}

/**
 * CORS through whole gateways: one instance behind three gateways, the system's own with an
 * allowlist, one with the default (any origin, no credentials), and one with CORS turned off.
 */
describe('CORS', () => {
  let system: TestSystem;
  let anyOrigin: ExtraGateway;
  let off: ExtraGateway;

  beforeAll(async () => {
    system = await startTestSystem({ env: { HEADLESSKEY_CORS_ORIGINS: `${LISTED}, ${ALSO_LISTED}` } });
    [anyOrigin, off] = await Promise.all([
      startExtraGateway(system.instance),
      startExtraGateway(system.instance, { HEADLESSKEY_CORS: 'false' }),
    ]);
  });
  afterAll(async () => {
    await anyOrigin?.stop();
    await off?.stop();
    await system?.stop();
  });

  describe('with an allowlist', () => {
    it('answers a listed origin with itself, credentials, and the headers a client reads', async () => {
      for (const origin of [LISTED, ALSO_LISTED]) {
        const reply = await system.request('POST', `${API}/token/validate`, { token: 'x' }, { origin });
        expect(reply.status).toBe(401);
        expect(reply.headers['access-control-allow-origin']).toBe(origin);
        expect(reply.headers['access-control-allow-credentials']).toBe('true');
        expect(reply.headers['access-control-expose-headers']).toBe('retry-after, www-authenticate, idempotent-replayed');
        expect(varyOf(reply)).toContain('origin');
      }
    });

    it('grants nothing to an unlisted origin, however close it looks', async () => {
      const lookalikes = [
        'https://evil.example',
        'https://app.example.com.evil.example',
        'http://app.example.com',
        'https://APP.example.com',
        'null',
      ];
      for (const origin of lookalikes) {
        const reply = await system.request('GET', '/healthz', undefined, { origin });
        expect(reply.status).toBe(200);
        expectNoGrant(reply);
        expectNoGrant(await preflight(system, `${API}/me`, origin));
      }
    });

    it('refuses the preflight of an unlisted origin plainly: 403, no CORS header, the route exists', async () => {
      for (const origin of ['https://evil.example', 'null']) {
        for (const [path, method] of [
          [`${API}/me`, 'GET'],
          [`${API}/token`, 'POST'],
          ['/wp-json/wpauthapi/v1/token/validate', 'POST'],
        ] as const) {
          const reply = await preflight(system, path, origin, method, 'content-type');
          expect(reply.status, `${origin} ${path}`).toBe(403);
          expect(reply.body).toMatchObject({ code: 'headlesskey_forbidden', data: { status: 403 } });
          expect(Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
          expect(varyOf(reply)).toContain('origin');
        }
      }
    });

    it('still answers an OPTIONS without an Origin, which no browser sends, as an unknown route', async () => {
      const reply = await system.request('OPTIONS', `${API}/me`, undefined, { 'access-control-request-method': 'GET' });
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({ code: 'headlesskey_not_found' });
    });

    it('says Vary: Origin to a request without an Origin too, and grants it nothing', async () => {
      expectNoGrant(await system.request('GET', '/healthz'));
    });

    it('answers a preflight on a protected route without a token', async () => {
      for (const [path, method] of [
        [`${API}/me`, 'GET'],
        [`${API}/users/1/sessions`, 'DELETE'],
        [`${API}/change-password`, 'POST'],
      ] as const) {
        const reply = await preflight(system, path, LISTED, method, 'authorization, content-type');
        expect(reply.status).toBe(204);
        expect(reply.headers['www-authenticate']).toBeUndefined();
        expect(reply.headers['access-control-allow-origin']).toBe(LISTED);
        expect(reply.headers['access-control-allow-credentials']).toBe('true');
        expect(reply.headers['access-control-allow-methods']).toContain(method);
        expect(reply.headers['access-control-allow-headers']).toContain('authorization');
        // A browser's write may carry an Idempotency-Key (docs/api.md, Conventions).
        expect(reply.headers['access-control-allow-headers']).toContain('idempotency-key');
        expect(reply.headers['access-control-max-age']).toBe('600');
        expect(varyOf(reply)).toContain('origin');
      }
    });

    it('lets the browser read a refusal of a protected route (401 with the grant)', async () => {
      const reply = await system.request('GET', `${API}/me`, undefined, { origin: LISTED });
      expect(reply.status).toBe(401);
      expect((reply.body as { code: string }).code).toBe('headlesskey_unauthorized');
      expect(reply.headers['access-control-allow-origin']).toBe(LISTED);
    });
  });

  describe('by default', () => {
    it('allows any origin with *, never with credentials, even when the request carries them', async () => {
      const headers = { origin: LISTED, authorization: 'Bearer x', cookie: 'session=1' };
      const reply = await anyOrigin.request('GET', `${API}/me`, undefined, headers);
      expect(reply.status).toBe(401);
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
      expect(varyOf(reply)).toContain('origin');
    });

    it('answers a preflight on a protected route without a token, and without credentials', async () => {
      const reply = await preflight(
        anyOrigin,
        `${API}/sessions/00000000-0000-4000-8000-000000000000`,
        'https://anywhere.example',
        'DELETE',
      );
      expect(reply.status).toBe(204);
      expect(reply.headers['access-control-allow-origin']).toBe('*');
      expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
      expect(reply.headers['access-control-allow-methods']).toContain('DELETE');
      expect(varyOf(reply)).toContain('origin');
    });
  });

  describe('turned off', () => {
    it('sends no CORS header, and a preflight finds no route', async () => {
      const simple = await off.request('GET', '/healthz', undefined, { origin: LISTED });
      expect(simple.status).toBe(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const reply = await preflight(off, `${API}/me`, LISTED);
      expect(reply.status).toBe(404);
      expect(reply.body).toMatchObject({ code: 'headlesskey_not_found', data: { status: 404 } });
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

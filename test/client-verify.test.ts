import { createVerifier, fastifyGuard, type TokenClaims } from '@headlesskey/client/server';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestSystem } from './support/system.js';
import { ADMIN, AUDIENCE, type Bus, bearer, ISSUER, loggedIn, login, revoke, SECRET, withTokensSystem } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

/**
 * `@headlesskey/client/server` against the running system: tokens it issues verify where an app
 * runs — HS256 with the shared secret, ES256 through its JWKS across a key rotation — and, online,
 * a logged-out token is refused as the server refuses it.
 */
describe('verifyToken from @headlesskey/client/server', () => {
  let system: TestSystem;
  let bus: Bus;
  let user: { username: string; password: string };

  withTokensSystem(async (started, opened) => {
    system = started;
    bus = opened;
    user = newUser('sdk');
    expect((await system.post('/register', user)).status).toBe(201);
  });
  // Runs before withTokensSystem's own afterAll (hooks unwind as a stack), while the bus is open.
  afterAll(async () => {
    await bus?.setSetting('algorithm', 'HS256');
  });

  const jwksUrl = () => `${system.url}/.well-known/jwks.json`;
  const tokenOf = async (who: { username: string; password: string }) => (await loggedIn(login(system, who))).token;

  it('verifies an HS256 token with the shared secret, and not with another', async () => {
    const token = await tokenOf(user);
    const claims = await createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret: SECRET })(token);
    expect(claims.data.user_login).toBe(user.username);
    await expect(createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret: `${SECRET}x` })(token)).rejects.toMatchObject({
      code: 'headlesskey_invalid_token',
    });
  });

  it('verifies ES256 tokens through the JWKS, before and after the server rotates its key', async () => {
    await bus.setSetting('algorithm', 'ES256');
    const verify = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwksUrl(), jwks: { cooldownMs: 0 } });
    const first = await eventually(async () => {
      const token = await tokenOf(user);
      return JSON.parse(atob(token.split('.')[0] as string)).alg === 'ES256' ? token : undefined;
    });
    expect((await verify(first)).sub).toBeDefined();
    const admin = await tokenOf(ADMIN);
    const rotated = await system.post<{ kid: string }>('/keys/rotate', {}, bearer(admin));
    expect(rotated.status).toBe(200);
    const next = await eventually(async () => {
      const token = await tokenOf(user);
      return JSON.parse(atob(token.split('.')[0] as string)).kid === rotated.body.kid ? token : undefined;
    });
    expect((await verify(next)).data.user_login).toBe(user.username);
    // The old key stays in the set until its last token expires: the first token still holds.
    expect((await verify(first)).data.user_login).toBe(user.username);
  });

  it('online, a logged-out token is refused as the server refuses it; offline it holds until it expires', async () => {
    const token = await tokenOf(user);
    const offline = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwksUrl() });
    const online = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwksUrl(), online: { apiUrl: system.apiUrl } });
    await online(token);
    expect((await revoke(system, token)).status).toBe(200);
    await expect(online(token)).rejects.toMatchObject({ code: 'headlesskey_token_revoked', status: 401 });
    expect((await offline(token)).jti).toBeDefined();
  });

  it("guards a Fastify app's routes: the claims for a valid token, the API's own 401 otherwise", async () => {
    const app = Fastify();
    app.get('/orders', { preHandler: fastifyGuard({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwksUrl() }) }, async (request) => ({
      user: (request as unknown as { user: TokenClaims }).user.data.user_login,
    }));
    try {
      const ok = await app.inject({ method: 'GET', url: '/orders', headers: bearer(await tokenOf(user)) });
      expect(ok.json()).toEqual({ user: user.username });
      const none = await app.inject({ method: 'GET', url: '/orders' });
      expect(none.statusCode).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expect(none.json()).toMatchObject({ code: 'headlesskey_unauthorized', data: { status: 401 } });
      const bad = await app.inject({ method: 'GET', url: '/orders', headers: bearer('a.b.c') });
      expect(bad.json()).toMatchObject({ code: 'headlesskey_invalid_token', data: { status: 401 } });
    } finally {
      await app.close();
    }
  });
});

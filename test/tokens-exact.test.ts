import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from './support/admin-api.js';
import { hmacHex } from './support/sso.js';
import type { HttpReply, TestSystem } from './support/system.js';
import { startTestSystem } from './support/system.js';
import {
  ADMIN,
  claimsOf,
  type ErrorReply,
  freshDevice,
  ISSUER,
  loggedIn,
  login,
  refresh,
  register,
  resign,
  SECRET,
  signatureOf,
  TOKENS_ENV,
  validate,
} from './support/tokens.js';
import { newUser } from './support/users.js';

/** The longest `token_ttl` the settings accept (30 days): no token of ours outlives it. */
const LONGEST_TTL = 30 * 86_400;
const now = () => Math.floor(Date.now() / 1000);

/**
 * A token is one exact string: its signature spelled one way, its lifetime within what the
 * settings allow, dead the second its `exp` passes; and no cache keeps an answer with a token or
 * a secret in it.
 */
describe('tokens, exactly', () => {
  let system: TestSystem;
  let token: string;
  let admin: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: { ...TOKENS_ENV, HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    token = (await loggedIn(login(system, await register(system), freshDevice()))).token;
    admin = (await loggedIn(login(system, ADMIN))).token;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const expectInvalid = async (candidate: string, code = 'headlesskey_invalid_token') => {
    const checked = await validate(system, candidate);
    expect(checked.body, candidate).toMatchObject({ code, data: { status: 401, valid: false } });
    expect(checked.status).toBe(401);
  };

  it('refuses every spelling of the signature but the canonical base64url one', async () => {
    // A signature with `-` or `_` in it, so the standard alphabet's spelling differs.
    let signed = token;
    for (let i = 0; !/[-_]/.test(signatureOf(signed)); i++) signed = await resign(token, { pad: i });
    expect((await validate(system, signed)).status).toBe(200);
    const [head, payload, signature] = signed.split('.') as [string, string, string];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // An HS256 signature is 32 bytes: its last character has two unused bits.
    const last = alphabet.indexOf(signature.at(-1)!);
    const respelled = [
      `${signature}=`,
      Buffer.from(signature, 'base64url').toString('base64'),
      signature.replace(/-/g, '+').replace(/_/g, '/'),
      `${signature.slice(0, 10)} ${signature.slice(10)}`,
      signature.slice(0, -1) + alphabet[last ^ 1],
    ];
    for (const variant of respelled) {
      expect(Buffer.from(variant, 'base64')).toEqual(Buffer.from(signature, 'base64url'));
      await expectInvalid(`${head}.${payload}.${variant}`);
    }
  });

  it('holds exp to the second: a token one second past it is expired', async () => {
    const t = now();
    await expectInvalid(await resign(token, { iat: t - 600, nbf: t - 600, exp: t - 1 }), 'headlesskey_token_expired');
    expect((await validate(system, await resign(token, { iat: t - 600, nbf: t - 600, exp: t + 60 }))).status).toBe(200);
  });

  it('refuses a token that would live longer than the longest token_ttl', async () => {
    const { iat } = claimsOf(token);
    expect((await validate(system, await resign(token, { exp: iat! + LONGEST_TTL }))).status).toBe(200);
    await expectInvalid(await resign(token, { exp: iat! + LONGEST_TTL + 1 }));
    await expectInvalid(await resign(token, { exp: iat! + 10 * 365 * 86_400 }));
  });

  it('answers with a token or a secret only with Cache-Control: no-store and Pragma: no-cache', async () => {
    const expectNoStore = (reply: HttpReply<unknown>, what: string) => {
      expect(reply.status, `${what}: ${JSON.stringify(reply.body)}`).toBeLessThan(300);
      expect(reply.headers['cache-control'], what).toBe('no-store');
      expect(reply.headers.pragma, what).toBe('no-cache');
    };
    expectNoStore(await system.post('/register', newUser('nostore')), 'POST /register');
    const user = await register(system);
    const issued = await login(system, user, freshDevice());
    expectNoStore(issued, 'POST /token');
    expectNoStore(await system.post('/login', { username: user.username, password: user.password }), 'POST /login');
    expectNoStore(await refresh(system, (issued.body as { token: string }).token), 'POST /token/refresh');

    const hook = await call<{ id: string }>(system, admin, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/hook' });
    expectNoStore(hook, 'POST /webhooks');
    expectNoStore(await call(system, admin, 'POST', `/webhooks/${hook.body.id}/rotate-secret`), 'POST /webhooks/{id}/rotate-secret');

    // This instance as a site connected on itself: its own tokens, for a user it has not linked.
    const site = { site_key: 'self', issuer: ISSUER, verification: 'hs256', hs256_secret: SECRET, provision_users: true };
    const created = await call<{ secret: string }>(system, admin, 'POST', '/sso/sites', site);
    expectNoStore(created, 'POST /sso/sites');
    const rotated = await call<{ secret: string }>(system, admin, 'POST', '/sso/sites/self/rotate-secret');
    expectNoStore(rotated, 'POST /sso/sites/{key}/rotate-secret');
    const remote = await resign(token, { sub: 'remote-1', jti: crypto.randomUUID(), email: 'remote-1@example.com' });
    const exchanged = await system.post<ErrorReply>('/sso/exchange', {
      site_key: 'self',
      token: remote,
      signature: hmacHex(rotated.body.secret, remote),
    });
    expectNoStore(exchanged, 'POST /sso/exchange');

    // An answer without a token or a secret is left to the usual rules.
    expect((await validate(system, token)).headers['cache-control']).toBeUndefined();
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex, type Site, type SiteReply, sitesApi, startSite } from './support/sso.js';
import { registerAndLogin } from './support/users.js';

const ecPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const REMOTE_HS = 'the-remote-sites-own-hs256-secret-0123456789';

/** The admin API of connected sites: who may use it, what it checks, what it never shows again. */
describe('connected sites API', () => {
  let site: Site;
  const api = (method: string, path = '', body?: unknown, token?: string | null) => sitesApi<SiteReply>(site, method, path, body, token);

  beforeAll(async () => {
    site = await startSite('sites');
  });
  afterAll(async () => {
    await site?.system.stop();
  });

  it('is for administrators only', async () => {
    const user = await registerAndLogin(site.system);
    expect((await api('GET', '', undefined, null)).body.code).toBe('headlesskey_unauthorized');
    const forbidden = await api('POST', '', { site_key: 'nope', issuer: 'x', verification: 'hs256', hs256_secret: REMOTE_HS }, user.token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('headlesskey_forbidden');
    expect((await api('GET')).body.sites.map((s) => s.site_key)).not.toContain('nope');
  });

  it('creates a site with a 256-bit secret shown once, and never shows either secret again', async () => {
    const created = await api('POST', '', {
      site_key: 'shop',
      issuer: 'https://shop.example',
      verification: 'hs256',
      hs256_secret: REMOTE_HS,
      provision_users: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      site_key: 'shop',
      issuer: 'https://shop.example',
      audience: null,
      verification: 'hs256',
      algorithm: 'HS256',
      public_key: null,
      jwks_url: null,
      provision_users: true,
      link_by_email: false,
      default_role: 'subscriber',
    });
    const secret = created.body.secret!;
    expect(secret).toMatch(/^hksso_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(6), 'base64url')).toHaveLength(32);
    const got = await api('GET', '/shop');
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...created.body, secret: undefined });
    const listed = await api('GET');
    expect(listed.body.sites.find((s) => s.site_key === 'shop')).toEqual(got.body);
    for (const answer of [got, listed]) {
      expect(JSON.stringify(answer.body)).not.toContain(secret);
      expect(JSON.stringify(answer.body)).not.toContain(REMOTE_HS);
    }
    // A second creation of the key is refused and leaves the first as it was.
    const again = await api('POST', '', {
      site_key: 'shop',
      issuer: 'https://other.example',
      verification: 'hs256',
      hs256_secret: REMOTE_HS,
    });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'rest_invalid_param', data: { params: { site_key: 'site_key is already connected.' } } });
    expect((await api('GET', '/shop')).body).toEqual(got.body);
  });

  it('takes a PEM public key and pins the algorithm it is for', async () => {
    const pem = ecPair().publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const created = await api('POST', '', {
      site_key: 'blog',
      issuer: 'https://blog.example',
      verification: 'public_key',
      public_key: pem,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ verification: 'public_key', algorithm: 'ES256', public_key: pem });
  });

  it('refuses bad input with the contract’s error shape, and keeps nothing of it', async () => {
    const before = (await api('GET')).body.sites;
    const privatePem = ecPair().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refusals: [Record<string, unknown>, string, string][] = [
      [{ verification: 'public_key', public_key: 'not a key' }, 'rest_invalid_param', 'public_key'],
      [{ verification: 'public_key', public_key: privatePem }, 'rest_invalid_param', 'public_key'],
      [{ verification: 'jwks', jwks_url: 'not a url', algorithm: 'ES256' }, 'rest_invalid_param', 'jwks_url'],
      [{ verification: 'jwks', jwks_url: 'http://jwks.example/keys', algorithm: 'ES256' }, 'rest_invalid_param', 'jwks_url'],
      [{ verification: 'jwks', jwks_url: 'https://jwks.example/keys' }, 'rest_invalid_param', 'algorithm'],
      [{ verification: 'hs256', hs256_secret: 'short' }, 'rest_invalid_param', 'hs256_secret'],
      [{ verification: 'hs256', hs256_secret: REMOTE_HS, default_role: 'administrator' }, 'rest_invalid_param', 'default_role'],
      [{ verification: 'rsa' }, 'rest_invalid_param', 'verification'],
      [{ verification: 'hs256', hs256_secret: REMOTE_HS, site_key: 'Bad Key!' }, 'rest_invalid_param', 'site_key'],
    ];
    for (const [fields, code, param] of refusals) {
      const reply = await api('POST', '', { site_key: 'refused', issuer: 'https://r.example', ...fields });
      expect(reply.status, JSON.stringify(fields)).toBe(400);
      expect(reply.body.code).toBe(code);
      expect(reply.body.data.params).toHaveProperty(param);
    }
    const missing = await api('POST', '', { site_key: 'refused', verification: 'hs256' });
    expect(missing.body).toMatchObject({ code: 'rest_missing_callback_param', data: { status: 400, params: ['issuer'] } });
    expect((await api('GET')).body.sites).toEqual(before);
  });

  it('patches what it names, checks the whole result, and keeps the old settings when refused', async () => {
    const before = (await api('GET', '/shop')).body;
    const patched = await api('PATCH', '/shop', { link_by_email: true, default_role: 'author', audience: 'shop-api' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      ...before,
      link_by_email: true,
      default_role: 'author',
      audience: 'shop-api',
      updated_at: expect.any(String),
    });
    const refused = await api('PATCH', '/shop', { verification: 'jwks', jwks_url: 'https://shop.example/jwks' });
    expect(refused.body).toMatchObject({ code: 'rest_invalid_param', data: { params: { algorithm: expect.any(String) } } });
    expect((await api('GET', '/shop')).body).toEqual(patched.body);
    const switched = await api('PATCH', '/shop', { verification: 'jwks', jwks_url: 'https://shop.example/jwks', algorithm: 'RS256' });
    expect(switched.body).toMatchObject({ verification: 'jwks', algorithm: 'RS256', jwks_url: 'https://shop.example/jwks' });
    expect((await api('PATCH', '/nowhere', { link_by_email: true })).body.code).toBe('headlesskey_not_found');
  });

  it('rotates the shared secret: shown once, and only the new one signs exchanges from then on', async () => {
    const created = await api('POST', '', {
      site_key: 'club',
      issuer: 'https://club.example',
      verification: 'hs256',
      hs256_secret: REMOTE_HS,
      provision_users: true,
    });
    const old = created.body.secret!;
    const rotated = await sitesApi<{ site_key: string; secret: string }>(site, 'POST', '/club/rotate-secret');
    expect(rotated.status).toBe(200);
    expect(rotated.body.site_key).toBe('club');
    expect(rotated.body.secret).toMatch(/^hksso_[A-Za-z0-9_-]{43}$/);
    expect(rotated.body.secret).not.toBe(old);
    expect(JSON.stringify((await api('GET', '/club')).body)).not.toContain(rotated.body.secret);

    // A token as the club site would sign it.
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ email: 'member@club.example', data: { user_login: 'member' } })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('https://club.example')
      .setSubject('member-1')
      .setJti(crypto.randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(new TextEncoder().encode(REMOTE_HS));
    const exchange = (secret: string) =>
      site.system.post<SiteReply & { user: { user_login: string; roles: string[] } }>('/sso/exchange', {
        site_key: 'club',
        token,
        signature: hmacHex(secret, token),
      });
    expect((await exchange(old)).body.code).toBe('headlesskey_sso_invalid_signature');
    const accepted = await exchange(rotated.body.secret);
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ user_login: 'member', roles: ['subscriber'] });
    expect((await sitesApi(site, 'POST', '/nowhere/rotate-secret')).body.code).toBe('headlesskey_not_found');
  });

  it('deletes a site: it is gone from the API and its key is unknown to the exchange', async () => {
    const deleted = await api('DELETE', '/blog');
    expect(deleted.body).toEqual({ site_key: 'blog', deleted: true });
    expect((await api('GET', '/blog')).status).toBe(404);
    expect((await api('DELETE', '/blog')).body.code).toBe('headlesskey_not_found');
    const exchange = await site.system.post<SiteReply>('/sso/exchange', { site_key: 'blog', token: 'a.b.c', signature: '0'.repeat(64) });
    expect(exchange.status).toBe(401);
    expect(exchange.body.code).toBe('headlesskey_sso_unknown_site');
  });
});

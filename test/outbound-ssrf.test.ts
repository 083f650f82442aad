import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, serviceDb, type WpError } from './support/admin-api.js';
import { connect, exchangeBody, type Site, sitesApi, startSite } from './support/sso.js';

/** Every spelling of an inside address a JWKS URL or a webhook might use, cloud metadata first. */
const METADATA = [
  'https://169.254.169.254/latest/meta-data/',
  'https://2852039166/',
  'https://0xa9fea9fe/',
  'https://0251.0376.0251.0376/',
  'https://[::ffff:169.254.169.254]/',
  'https://[::ffff:a9fe:a9fe]/',
  'https://[fd00:ec2::254]/',
];
const INSIDE = [
  'http://2130706433/jwks',
  'http://127.0.0.1:9/jwks',
  'http://[::1]/jwks',
  'http://localhost:9/jwks',
  'https://10.0.0.1/jwks',
  'https://192.168.1.1/jwks',
  'https://[fd00::1]/jwks',
  ...METADATA,
];

/**
 * One outbound guard for every request the system makes: the JWKS of connected sites is checked
 * as webhooks are, when kept and at each connection, and cloud metadata addresses are refused
 * even where private addresses are allowed (development).
 */
describe('outbound requests', () => {
  /** As deployed: private addresses refused. */
  let guarded: Site;
  /** As in development: `HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE` on. */
  let open: Site;
  let keys: { url: (host: string) => string; hits: number; close(): Promise<void> };
  let signer: CryptoKey;

  beforeAll(async () => {
    [guarded, open] = await Promise.all([startSite('guarded', { HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE: 'false' }), startSite('open')]);
    const pair = await generateKeyPair('ES256', { extractable: true });
    signer = pair.privateKey as CryptoKey;
    const jwk = await exportJWK(pair.publicKey);
    keys = await startKeyServer({ keys: [{ ...jwk, kid: 'k1', alg: 'ES256', use: 'sig' }] });
  });
  afterAll(async () => {
    await keys?.close();
    await Promise.all([guarded?.system.stop(), open?.system.stop()]);
  });

  const jwksSite = (siteKey: string, jwksUrl: string) => ({
    site_key: siteKey,
    issuer: 'https://remote.sso.test',
    verification: 'jwks',
    jwks_url: jwksUrl,
    algorithm: 'ES256',
  });
  const expectRefusedUrl = (reply: { status: number; body: WpError & { data: { params?: Record<string, string> } } }, field: string) => {
    expect(reply.status, JSON.stringify(reply.body)).toBe(400);
    expect(reply.body.code).toBe('rest_invalid_param');
    expect(reply.body.data.params?.[field]).toMatch(new RegExp(`^${field} (points to|names a host that resolves to) `));
  };

  it('refuses a JWKS URL that leads inside, however written, when a site is connected or changed', async () => {
    for (const [i, url] of INSIDE.entries()) {
      expectRefusedUrl(await sitesApi(guarded, 'POST', '', jwksSite(`inside-${i}`, url)), 'jwks_url');
    }
    expect((await sitesApi(guarded, 'GET', '')).body.sites).toEqual([]);
    await connect(guarded, open, 'remote');
    for (const url of INSIDE) {
      expectRefusedUrl(
        await sitesApi(guarded, 'PATCH', '/remote', { verification: 'jwks', jwks_url: url, algorithm: 'ES256' }),
        'jwks_url',
      );
    }
    expect((await sitesApi(guarded, 'GET', '/remote')).body).toMatchObject({ verification: 'hs256', jwks_url: null });
  });

  it('checks again at each fetch: a kept JWKS URL that now leads inside is never fetched', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const siteKey = `rebound-${host.replace(/\W/g, '')}`;
      const secret = await connect(guarded, open, siteKey);
      // As if the name had resolved to a public address when the site was kept, and no longer does.
      const db = await serviceDb(guarded.system, 'tokens');
      try {
        await db.query(
          `update sso_sites set verification = 'jwks', algorithm = 'ES256', hs256_secret = null, jwks_url = $2, issuer = $3
           where site_key = $1`,
          [siteKey, keys.url(host), 'https://remote.sso.test'],
        );
      } finally {
        await db.end();
      }
      const token = await new SignJWT({ jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer('https://remote.sso.test')
        .setSubject('remote-user')
        .setExpirationTime('5m')
        .sign(signer);
      const reply = await exchangeBody(guarded, siteKey, secret, token);
      expect(reply.body, host).toMatchObject({ code: 'headlesskey_unavailable' });
      expect(reply.status).toBe(503);
    }
    expect(keys.hits).toBe(0);
  });

  it('with private addresses allowed, still refuses cloud metadata, for webhooks and site JWKS alike', async () => {
    for (const [i, url] of METADATA.entries()) {
      expectRefusedUrl(await call(open.system, open.admin, 'POST', '/webhooks', { url }), 'url');
      expectRefusedUrl(await sitesApi(open, 'POST', '', jwksSite(`metadata-${i}`, url)), 'jwks_url');
    }
    expect((await call(open.system, open.admin, 'POST', '/webhooks', { url: 'http://127.0.0.1:9/hook' })).status).toBe(201);
    expect((await sitesApi(open, 'POST', '', jwksSite('loopback', keys.url('127.0.0.1')))).status).toBe(201);
  });
});

/** A JWKS on loopback that counts its requests, so a test can show nobody fetched it. */
async function startKeyServer(body: { keys: JWK[] }) {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (host: string) => `http://${host}:${port}/jwks.json`,
    get hits() {
      return hits;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

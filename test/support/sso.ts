import { createHmac, randomBytes } from 'node:crypto';
import { ADMIN_ENV, adminToken, call, type WpError } from './admin-api.js';
import { startTestSystem, type TestSystem } from './system.js';
import type { Issued } from './tokens.js';

/** One HeadlessKey instance acting as an SSO site: its HS256 secret and issuer are known to the tests. */
export interface Site {
  name: string;
  system: TestSystem;
  /** `HEADLESSKEY_SECRET_KEY`: what another site configures as this one's `hs256_secret`. */
  hs256Secret: string;
  issuer: string;
  admin: string;
  /** The public keys a site verifying this one's ES256 tokens fetches. */
  jwksUrl: string;
}

/**
 * A site of its own instance. The sites of a test run on loopback and fetch each other's JWKS
 * there, so private addresses are allowed unless `env` says otherwise.
 */
export async function startSite(name: string, env: Record<string, string> = {}): Promise<Site> {
  const hs256Secret = `${name}-signing-secret-${randomBytes(24).toString('hex')}`;
  const issuer = `https://${name}.sso.test`;
  const system = await startTestSystem({
    env: {
      ...ADMIN_ENV,
      HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE: 'true',
      HEADLESSKEY_SECRET_KEY: hs256Secret,
      HEADLESSKEY_ISSUER: issuer,
      ...env,
    },
  });
  return { name, system, hs256Secret, issuer, admin: await adminToken(system), jwksUrl: `${system.url}/.well-known/jwks.json` };
}

export interface SiteView {
  site_key: string;
  issuer: string;
  audience: string | null;
  verification: 'hs256' | 'public_key' | 'jwks';
  algorithm: string;
  public_key: string | null;
  jwks_url: string | null;
  provision_users: boolean;
  link_by_email: boolean;
  default_role: string;
  created_at: string;
  updated_at: string;
  secret?: string;
}
export type SiteReply = SiteView & WpError & { sites: SiteView[] };

/** The admin API of `site`'s connected sites, as its administrator (or `token`). */
export const sitesApi = <T = SiteReply>(site: Site, method: string, path: string, body?: unknown, token: string | null = site.admin) =>
  call<T>(site.system, token ?? undefined, method, `/sso/sites${path}`, body);

/**
 * Connects `remote` on `local` (its HS256 secret and issuer unless `over` says otherwise) and
 * answers the shared secret `local` made for it.
 */
export async function connect(local: Site, remote: Site, siteKey: string, over: Record<string, unknown> = {}): Promise<string> {
  const body = { site_key: siteKey, issuer: remote.issuer, verification: 'hs256', hs256_secret: remote.hs256Secret, ...over };
  const created = await sitesApi(local, 'POST', '', body);
  if (created.status !== 201 || !created.body.secret)
    throw new Error(`connect answered ${created.status}: ${JSON.stringify(created.body)}`);
  return created.body.secret;
}

export const hmacHex = (secret: string, message: string) => createHmac('sha256', secret).update(message).digest('hex');
export const nowSeconds = () => Math.floor(Date.now() / 1000);

export type ExchangeReply = Issued & { user: Issued['user'] & { user_email: string; display_name: string } } & WpError;

/** `POST /sso/exchange`, body form: `signature` is the HMAC of the token unless given. */
export const exchangeBody = (site: Site, siteKey: string, secret: string, token: string, signature = hmacHex(secret, token)) =>
  site.system.post<ExchangeReply>('/sso/exchange', { site_key: siteKey, token, signature });

/** `POST /sso/exchange`, headers form, signed over `"{timestamp}.{token}"`. */
export const exchangeHeaders = (site: Site, siteKey: string, secret: string, token: string, timestamp = nowSeconds()) =>
  site.system.post<ExchangeReply>(
    '/sso/exchange',
    { token },
    {
      'x-headlesskey-site': siteKey,
      'x-headlesskey-timestamp': String(timestamp),
      'x-headlesskey-signature': hmacHex(secret, `${timestamp}.${token}`),
    },
  );

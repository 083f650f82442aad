import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { type GuardOptions, guardedFetch } from '@headlesskey/platform';
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { hasCanonicalSignature } from '../jwt/compact.js';
import { KEY_HEADER_PARAMETERS } from '../jwt/verify.js';
import type { Refused } from './rules.js';
import type { SiteRow } from './site.js';

export type RemoteVerification = { ok: true; claims: Record<string, unknown> } | ({ ok: false } & Refused);

const MAX_TOKEN_LENGTH = 8192;
/** Clock skew tolerated between the two sites (two clocks) for `exp`, `nbf` and `iat`; the README says so. */
const SKEW_SECONDS = 5;
const JWKS_TIMEOUT_MS = 5000;

type SiteKey = KeyObject | JWTVerifyGetKey;

const invalid = (reason: string): RemoteVerification => ({ ok: false, refused: 'headlesskey_invalid_token', reason });

/**
 * The verification keys of connected sites, built once per version of a site's key settings: a JWKS
 * is fetched by jose's remote key set (with a timeout, a cooldown and a cache) through the outbound
 * guard, which checks the addresses at each connection; a PEM or an HS256 secret is imported once.
 */
export class RemoteKeys {
  private readonly keys = new Map<string, { version: string; key: SiteKey }>();
  private readonly fetch: ReturnType<typeof guardedFetch>;

  constructor(
    readonly guard: GuardOptions,
    private readonly jwksTimeoutMs = JWKS_TIMEOUT_MS,
  ) {
    this.fetch = guardedFetch(guard);
  }

  keyOf(site: SiteRow): SiteKey {
    // The key material itself, not a timestamp: any change on any replica builds a new key.
    const version = [site.id, site.verification, site.hs256_secret, site.public_key, site.jwks_url].join('\n');
    const known = this.keys.get(site.site_key);
    if (known?.version === version) return known.key;
    const key = this.build(site);
    this.keys.set(site.site_key, { version, key });
    return key;
  }

  forget(siteKey: string): void {
    this.keys.delete(siteKey);
  }

  private build(site: SiteRow): SiteKey {
    if (site.verification === 'hs256' && site.hs256_secret) return createSecretKey(Buffer.from(site.hs256_secret, 'utf8'));
    if (site.verification === 'public_key' && site.public_key) return createPublicKey(site.public_key);
    if (site.verification === 'jwks' && site.jwks_url) {
      return createRemoteJWKSet(new URL(site.jwks_url), { timeoutDuration: this.jwksTimeoutMs, [customFetch]: this.fetch });
    }
    throw new Error(`site ${site.site_key} has no key material for ${site.verification}`);
  }
}

/**
 * Verifies a connected site's token with the site's own key and only the site's algorithm
 * (RFC 8725): no `none`, no key named by the token's header, `iss` must be the site's (and `aud`
 * when the site names one), `exp` must be in the future, `sub` and `jti` present.
 */
export async function verifyRemoteToken(token: string, site: SiteRow, keys: RemoteKeys): Promise<RemoteVerification> {
  if (token.length > MAX_TOKEN_LENGTH) return invalid('token too large');
  if (!hasCanonicalSignature(token)) return invalid('signature not canonical base64url');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return invalid('malformed token');
  }
  if (KEY_HEADER_PARAMETERS.some((k) => k in header)) return invalid('key in token header');
  if (header.alg !== site.algorithm) return invalid('algorithm not allowed for this site');
  const options = {
    algorithms: [site.algorithm],
    issuer: site.issuer,
    ...(site.audience ? { audience: site.audience } : {}),
    requiredClaims: ['iss', 'sub', 'exp', 'jti'],
    clockTolerance: SKEW_SECONDS,
  };
  try {
    const key = keys.keyOf(site);
    const { payload } =
      typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key as KeyObject, options);
    return { ok: true, claims: payload as Record<string, unknown> };
  } catch (err) {
    return rejectionOf(err, site);
  }
}

function rejectionOf(err: unknown, site: SiteRow): RemoteVerification {
  if (err instanceof errors.JWTExpired) return { ok: false, refused: 'headlesskey_token_expired', reason: 'token expired' };
  if (err instanceof errors.JWTClaimValidationFailed) return invalid(`claim ${err.claim} ${err.reason}`);
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalid('signature mismatch');
  if (err instanceof errors.JWKSNoMatchingKey) return invalid('unknown key');
  if (site.verification === 'jwks' && jwksUnreachable(err)) {
    return { ok: false, refused: 'headlesskey_unavailable', reason: 'the site’s JWKS could not be fetched' };
  }
  if (err instanceof errors.JOSEError) return invalid(err.code.replace(/^ERR_/, '').toLowerCase());
  throw err;
}

/**
 * A timeout, a network failure, a connection the outbound guard refused, or an answer that is
 * not a 200 JSON key set (jose's generic error).
 */
function jwksUnreachable(err: unknown): boolean {
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) return true;
  if (err instanceof errors.JOSEError) return err.constructor === errors.JOSEError;
  return true;
}

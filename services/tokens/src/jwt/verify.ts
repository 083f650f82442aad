import type { Claims } from '@headlesskey/contracts';
import { Claims as ClaimsSchema, Settings } from '@headlesskey/contracts';
import { checker } from '@headlesskey/platform';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Keyring } from '../keys/keyring.js';
import { hasCanonicalSignature } from './compact.js';
import { joseKey } from './jose-key.js';

/** Why a token is refused: `expired` maps to its own error code, the rest to invalid_token. */
export type Rejection = { ok: false; expired: boolean; reason: string };
export type Verification = { ok: true; claims: Claims; expired: boolean } | Rejection;

export const MAX_TOKEN_LENGTH = 8192;
/** Header parameters that name or carry a key: a verifier never takes its key from the token. */
export const KEY_HEADER_PARAMETERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];
const REQUIRED = ['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub', 'sid'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/**
 * Clock skew tolerated between replicas for `iat` and `nbf` only: `exp` is checked without
 * leeway, since it was written by one of our own replicas from the same `token_ttl`.
 */
const SKEW_SECONDS = 5;
/** No token of ours lives longer than the longest `token_ttl` the settings accept. */
const LONGEST_LIFETIME_SECONDS = Settings.properties.token_ttl.maximum as number;

const reject = (reason: string, expired = false): Rejection => ({ ok: false, expired, reason });

export interface VerifyOptions {
  issuer: string;
  audience: string;
  /** Refresh and revoke take an expired token whose signature and other claims hold. */
  allowExpired?: boolean;
}

/**
 * Verifies a token with the key its `kid` names and only that key's algorithm (RFC 8725): no
 * `none`, no HMAC keyed with a public key, no key carried in the header, no unknown `crit`.
 */
export async function verifyToken(token: string, keyring: Keyring, opts: VerifyOptions): Promise<Verification> {
  if (token.length > MAX_TOKEN_LENGTH) return reject('token too large');
  if (!hasCanonicalSignature(token)) return reject('signature not canonical base64url');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return reject('malformed token');
  }
  if (KEY_HEADER_PARAMETERS.some((k) => k in header)) return reject('key in token header');
  const key = typeof header.kid === 'string' ? await keyring.find(header.kid) : undefined;
  if (!key) return reject('unknown key');
  if (header.alg !== key.alg) return reject('algorithm not allowed for key');
  let claims: unknown;
  let expired = false;
  try {
    const options = {
      algorithms: [key.alg],
      issuer: opts.issuer,
      audience: opts.audience,
      typ: 'JWT',
      requiredClaims: REQUIRED,
      clockTolerance: SKEW_SECONDS,
    };
    claims = (await jwtVerify(token, await joseKey(key.verifyKey), options)).payload;
  } catch (err) {
    // jose checks `exp` last: an expired token has passed the signature and every other claim.
    if (!(err instanceof errors.JWTExpired) || !opts.allowExpired) return rejectionOf(err);
    claims = err.payload;
    expired = true;
  }
  return checkShape(claims, expired, opts.allowExpired === true);
}

/** What jose leaves to us: the claims' shape, `iat`, the lifetime, and `exp` without jose's leeway. */
function checkShape(claims: unknown, expiredByJose: boolean, allowExpired: boolean): Verification {
  if (!checker(ClaimsSchema).Check(claims) || !UUID.test(claims.sid) || !UUID.test(claims.jti)) return reject('claims out of shape');
  const now = Date.now() / 1000;
  if (claims.iat > now + SKEW_SECONDS) return reject('issued in the future');
  if (claims.exp - claims.iat > LONGEST_LIFETIME_SECONDS) return reject('lifetime beyond the longest token_ttl');
  // jose's `exp` check, `exp <= now`, without the tolerance it shares with `nbf`.
  const expired = expiredByJose || claims.exp <= Math.floor(now);
  if (expired && !allowExpired) return reject('token expired', true);
  return { ok: true, claims, expired };
}

function rejectionOf(err: unknown): Rejection {
  if (err instanceof errors.JWTExpired) return reject('token expired', true);
  if (err instanceof errors.JWTClaimValidationFailed) return reject(`claim ${err.claim} ${err.reason}`);
  if (err instanceof errors.JWSSignatureVerificationFailed) return reject('signature mismatch');
  if (err instanceof errors.JOSEError) return reject(err.code.replace(/^ERR_/, '').toLowerCase());
  throw err;
}

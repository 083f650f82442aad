import type { Claims } from '@headlesskey/contracts';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { Keyring } from '../keys/keyring.js';

/** Why a token is refused: `expired` maps to its own error code, the rest to invalid_token. */
export type Rejection = { ok: false; expired: boolean; reason: string };
export type Verification = { ok: true; claims: Claims } | Rejection;

export const MAX_TOKEN_BYTES = 8192;
const HEADER_KEYS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'];
const REQUIRED = ['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub', 'sid'];

const reject = (reason: string, expired = false): Rejection => ({ ok: false, expired, reason });

export interface VerifyOptions {
  issuer: string;
  audience: string;
}

/**
 * Verifies a token with the key its `kid` names and only that key's algorithm (RFC 8725): no
 * `none`, no HMAC keyed with a public key, no key carried in the header, no unknown `crit`.
 */
export async function verifyToken(token: string, keyring: Keyring, opts: VerifyOptions): Promise<Verification> {
  if (token.length > MAX_TOKEN_BYTES) return reject('token too large');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return reject('malformed token');
  }
  if (HEADER_KEYS.some((k) => k in header)) return reject('key in token header');
  const key = typeof header.kid === 'string' ? keyring.byKid(header.kid) : undefined;
  if (!key) return reject('unknown key');
  if (header.alg !== key.alg) return reject('algorithm not allowed for key');
  try {
    const { payload } = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
      issuer: opts.issuer,
      audience: opts.audience,
      typ: 'JWT',
      requiredClaims: REQUIRED,
    });
    return { ok: true, claims: payload as unknown as Claims };
  } catch (err) {
    return rejectionOf(err);
  }
}

function rejectionOf(err: unknown): Rejection {
  if (err instanceof errors.JWTExpired) return reject('token expired', true);
  if (err instanceof errors.JWTClaimValidationFailed) return reject(`claim ${err.claim} ${err.reason}`);
  if (err instanceof errors.JWSSignatureVerificationFailed) return reject('signature mismatch');
  if (err instanceof errors.JOSEError) return reject(err.code.replace(/^ERR_/, '').toLowerCase());
  throw err;
}

import type { Claims } from '../contract.js';
import { tokenError } from '../errors.js';
import { createApi } from '../routes.js';
import { type Algorithm, parseJws, signatureHolds } from './jws.js';
import { type JwksOptions, jwksKeys, type KeySource, secretKey } from './keys.js';

/** The claims of a HeadlessKey token (docs/api.md, Tokens), and any a `token.claims` hook added. */
export type TokenClaims = Claims;

export interface VerifyOptions {
  /** The server's `iss` (`HEADLESSKEY_JWT_ISSUER`). */
  issuer: string;
  /** The server's `aud` (`HEADLESSKEY_JWT_AUDIENCE`). */
  audience: string;
  /** `https://auth.example.com/.well-known/jwks.json`: for RS256 and ES256. */
  jwksUrl?: string;
  /** The shared secret, for HS256 only; keep it on the server. */
  secret?: string;
  /**
   * Also ask the server whether the token's session still lives (`POST /token/validate`), so a
   * logout or a revoked session counts at once and not only at `exp`: the REST base URL
   * (`https://auth.example.com/wp-json/headlesskey/v1`). Costs one request per call.
   */
  online?: { apiUrl: string };
  /** Seconds of clock difference tolerated for `iat` and `nbf` (default 5); `exp` has none, as on the server. */
  clockSkewSeconds?: number;
  fetch?: typeof fetch;
  jwks?: Omit<JwksOptions, 'fetch'>;
}

export type Verifier = (token: string) => Promise<TokenClaims>;

/**
 * A verifier for one server: it keeps the server's key set between calls. Checks, in order: the
 * token's shape, an algorithm we sign with and the one its key states (RFC 8725), the signature,
 * `iss`, `aud`, `nbf`, `iat` and `exp` (no token of ours lives longer than 30 days), and with
 * `online`, the server's own word. Refusals are `HeadlessKeyError`s with the server's codes:
 * `headlesskey_token_expired`, `headlesskey_invalid_token`, or (online) `headlesskey_token_revoked`.
 */
export function createVerifier(opts: VerifyOptions): Verifier {
  const keys = keySourceOf(opts);
  const skew = opts.clockSkewSeconds ?? 5;
  // The server's own word on the session, its refusal as it gave it (`POST /token/validate`).
  const server = opts.online && createApi({ url: opts.online.apiUrl, fetch: opts.fetch });
  return async (token) => {
    const jws = parseJws(token);
    const alg = jws.header.alg as Algorithm;
    const key = await keys.key(jws.header.kid, alg);
    if (!(await signatureHolds(jws, alg, key))) throw tokenError('headlesskey_invalid_token', 'signature does not verify');
    const claims = checkClaims(jws.payload, opts, skew, Date.now() / 1000);
    if (server) await server.validate(token);
    return claims;
  };
}

const verifiers = new Map<string, Verifier>();

/**
 * Verifies one token (`createVerifier` for the options, kept for later calls with the same ones):
 * `await verifyToken(token, { issuer, audience, jwksUrl })` in middleware or a route handler.
 */
export function verifyToken(token: string, opts: VerifyOptions): Promise<TokenClaims> {
  const id = JSON.stringify([opts.issuer, opts.audience, opts.jwksUrl, opts.secret, opts.online?.apiUrl, opts.clockSkewSeconds]);
  let verifier = opts.fetch ? undefined : verifiers.get(id);
  if (!verifier) {
    verifier = createVerifier(opts);
    if (!opts.fetch && verifiers.size < 64) verifiers.set(id, verifier);
  }
  return verifier(token);
}

function keySourceOf(opts: VerifyOptions): KeySource {
  if ((opts.jwksUrl === undefined) === (opts.secret === undefined)) {
    throw new TypeError('give exactly one of jwksUrl (RS256, ES256) and secret (HS256)');
  }
  return opts.jwksUrl !== undefined ? jwksKeys(opts.jwksUrl, { ...opts.jwks, fetch: opts.fetch }) : secretKey(opts.secret as string);
}

const LONGEST_LIFETIME_SECONDS = 30 * 86_400;
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function checkClaims(payload: Record<string, unknown>, opts: VerifyOptions, skew: number, now: number): TokenClaims {
  const invalid = (reason: string) => tokenError('headlesskey_invalid_token', reason);
  const { iss, aud, iat, nbf, exp, jti, sub, sid, data } = payload;
  if (!isNumber(iat) || !isNumber(nbf) || !isNumber(exp) || typeof jti !== 'string' || typeof sub !== 'string' || typeof sid !== 'string') {
    throw invalid('claims out of shape');
  }
  const user = data as TokenClaims['data'] | undefined;
  if (typeof user?.ID !== 'number' || typeof user.user_login !== 'string' || !Array.isArray(user.roles))
    throw invalid('claims out of shape');
  if (iss !== opts.issuer) throw invalid('wrong issuer');
  if (!(aud === opts.audience || (Array.isArray(aud) && aud.includes(opts.audience)))) throw invalid('wrong audience');
  if (nbf > now + skew) throw invalid('not yet valid');
  if (iat > now + skew) throw invalid('issued in the future');
  if (exp - iat > LONGEST_LIFETIME_SECONDS) throw invalid('lifetime beyond the longest token_ttl');
  if (exp <= Math.floor(now)) throw tokenError('headlesskey_token_expired', 'token expired');
  return payload as TokenClaims;
}

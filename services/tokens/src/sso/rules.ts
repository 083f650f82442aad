import type { ErrorCode } from '@headlesskey/contracts';
import { signatureMatches, signedMessage, timestampFresh } from './signature.js';

/** Why an exchange is refused: the code answered and a reason for the event and the log. */
export interface Refused {
  refused: ErrorCode;
  reason: string;
}

export interface ExchangeRequest {
  /** The site's shared secret. */
  secret: string;
  token: string;
  signature: string;
  /** Present in the headers form only. */
  timestamp?: string;
  /** Epoch seconds. */
  now: number;
}

/**
 * The signature first, so a sender without the secret learns nothing else; then, in the headers
 * form, the timestamp: a stale one is a replay even when correctly signed.
 */
export function checkExchangeRequest(r: ExchangeRequest): Refused | undefined {
  if (!signatureMatches(r.secret, signedMessage(r.token, r.timestamp), r.signature)) {
    return { refused: 'headlesskey_sso_invalid_signature', reason: 'signature mismatch' };
  }
  if (r.timestamp !== undefined && !timestampFresh(r.timestamp, r.now)) {
    return { refused: 'headlesskey_sso_replay', reason: 'timestamp outside the window' };
  }
  return undefined;
}

/** The remote user a verified token speaks for, and what it offers towards a local account. */
export interface RemoteUser {
  sub: string;
  jti: string;
  /** Epoch seconds: the `jti` is remembered until then. */
  expiresAt: number;
  /** Only a well-formed address the remote site does not call unverified. */
  email?: string;
  login?: string;
  displayName?: string;
}

const MAX_ID = 255;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Reads the remote user from claims whose signature, `iss` and `exp` have been verified. `sub`
 * and `jti` are required: without `jti` a token could not be accepted only once. Login and name
 * come from HeadlessKey's `data` or the OIDC claims; roles are never taken from a remote token.
 */
export function remoteUserOf(claims: Record<string, unknown>): RemoteUser | Refused {
  const { sub, jti, exp } = claims;
  if (!isId(sub)) return { refused: 'headlesskey_invalid_token', reason: 'sub missing or out of shape' };
  if (!isId(jti)) return { refused: 'headlesskey_invalid_token', reason: 'jti missing or out of shape' };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { refused: 'headlesskey_invalid_token', reason: 'exp missing' };
  const data = typeof claims.data === 'object' && claims.data !== null ? (claims.data as Record<string, unknown>) : {};
  const email = claims.email;
  const emailUsable = typeof email === 'string' && email.length <= 254 && EMAIL.test(email) && claims.email_verified !== false;
  return {
    sub,
    jti,
    expiresAt: Math.floor(exp),
    email: emailUsable ? email : undefined,
    login: text(data.user_login, 60) ?? text(claims.preferred_username, 60),
    displayName: text(claims.name, 250) ?? text(data.display_name, 250),
  };
}

export const isRefused = (value: object): value is Refused => 'refused' in value;

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, max);
}

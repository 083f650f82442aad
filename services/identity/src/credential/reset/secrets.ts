import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { ResetDelivery } from '@headlesskey/contracts';
import { DomainError } from '@headlesskey/platform';

/** docs/api.md (`POST /forgot-password`): a link key lives an hour, a code ten minutes. */
export const RESET_TTL_MS: Readonly<Record<ResetDelivery, number>> = { link: 3600_000, otp: 600_000 };

/**
 * A fresh secret from the CSPRNG: a 256-bit URL-safe key for a link, or a uniformly drawn
 * 6-digit code (leading zeros kept).
 */
export function newResetSecret(delivery: ResetDelivery): string {
  if (delivery === 'link') return randomBytes(32).toString('base64url');
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** What a secret is bound to: its delivery, its user and the one request it answers. */
export interface SecretBinding {
  delivery: ResetDelivery;
  userId: number;
  requestId: string;
}

/**
 * The stored form of a secret: an HMAC under a key kept outside the table, so a leaked table
 * neither gives a key away nor lets the million codes be tried offline, and bound to its request
 * so one request's digest never matches another's secret.
 */
export function resetDigest(pepper: Buffer, binding: SecretBinding, secret: string, purpose: 'reset' | 'verify' = 'reset'): string {
  // The purpose keeps a reset's digest from ever matching a verification's secret, and back.
  return createHmac('sha256', pepper)
    .update(`headlesskey-${purpose}-v1\0${binding.delivery}\0${binding.userId}\0${binding.requestId}\0${secret}`)
    .digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** A stored secret's digest and what it is bound to. */
export interface StoredSecret extends SecretBinding {
  digest: string;
  expiresAt: number;
}

/** A secret as a request presents it: a link's key or a mailed code. */
export interface Presented {
  delivery: ResetDelivery;
  secret: string;
}

/** Exactly one of `token` and `otp`, each of which only its own delivery accepts. */
export function presentedSecret(body: { token?: string; otp?: string }): Presented {
  if (body.token !== undefined && body.otp !== undefined) {
    throw new DomainError('rest_invalid_param', 'Send either token or otp, not both.', {
      params: { otp: 'Send either token or otp, not both.' },
    });
  }
  if (body.otp !== undefined) return { delivery: 'otp', secret: body.otp };
  if (body.token !== undefined) return { delivery: 'link', secret: body.token.trim() };
  throw new DomainError('rest_missing_callback_param', 'Missing parameter(s): token', { params: ['token'] });
}

/** The presented secret is the stored one's: same delivery, not expired, same keyed digest. */
export function secretMatches(
  pepper: Buffer,
  stored: StoredSecret,
  presented: Presented,
  now: number,
  purpose: 'reset' | 'verify',
): boolean {
  if (stored.delivery !== presented.delivery || stored.expiresAt <= now) return false;
  const binding = { delivery: stored.delivery, userId: stored.userId, requestId: stored.requestId };
  return sameDigest(stored.digest, resetDigest(pepper, binding, presented.secret, purpose));
}

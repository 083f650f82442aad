import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { ResetDelivery } from '@headlesskey/contracts';

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
export function resetDigest(pepper: Buffer, binding: SecretBinding, secret: string): string {
  return createHmac('sha256', pepper)
    .update(`headlesskey-reset-v1\0${binding.delivery}\0${binding.userId}\0${binding.requestId}\0${secret}`)
    .digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

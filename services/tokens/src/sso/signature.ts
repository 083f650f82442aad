import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far (seconds) the headers form's timestamp may be from our clock, either way. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const UNIX_SECONDS = /^[0-9]{1,12}$/;

/** What the signature covers: the token alone (body form) or `"{timestamp}.{token}"` (headers form). */
export function signedMessage(token: string, timestamp?: string): string {
  return timestamp === undefined ? token : `${timestamp}.${token}`;
}

/** Lowercase hex HMAC-SHA256 of `message` under the site's shared secret (its UTF-8 bytes). */
export function signatureFor(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/**
 * Whether `presented` is the HMAC of `message`, compared in constant time over the 32 bytes.
 * Anything that is not 64 hex digits never matches.
 */
export function signatureMatches(secret: string, message: string, presented: string): boolean {
  const expected = createHmac('sha256', secret).update(message, 'utf8').digest();
  const given = HEX_SHA256.test(presented) ? Buffer.from(presented, 'hex') : Buffer.alloc(expected.length);
  return timingSafeEqual(expected, given) && HEX_SHA256.test(presented);
}

/** Whether a `X-HeadlessKey-Timestamp` (Unix seconds) is within the window around `now`. */
export function timestampFresh(timestamp: string, now: number): boolean {
  if (!UNIX_SECONDS.test(timestamp)) return false;
  return Math.abs(now - Number(timestamp)) <= TIMESTAMP_WINDOW_SECONDS;
}

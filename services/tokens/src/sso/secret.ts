import { randomBytes } from 'node:crypto';

const PREFIX = 'hksso_';
/** 256 random bits. */
const SECRET_BYTES = 32;

/**
 * A new shared secret of a connected site. The remote side uses the whole string, prefix
 * included, as its HMAC key (UTF-8 bytes), as it would any configured secret.
 */
export function newSiteSecret(): string {
  return `${PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

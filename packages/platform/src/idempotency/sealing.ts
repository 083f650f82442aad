import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets derived from a client's `Idempotency-Key`, so that what is stored under it (the answer
 * of a login: a token) can be read only by whoever presents the key again. The key itself is never
 * stored: only a hash of what is derived from it names the record.
 */

/** A 32-byte secret derived from `secret` for one purpose (HKDF-SHA256, RFC 5869). */
export function derive(secret: string | Buffer, salt: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, salt, purpose, 32));
}

/** A record's name: the SHA-256 of a derived secret, hex (safe as a KV key and a column). */
export function recordId(secret: Buffer, purpose: string): string {
  return createHash('sha256').update(purpose).update(secret).digest('hex');
}

/** A keyed hash (HMAC-SHA256, hex): a fingerprint that cannot be tried against guesses offline. */
export function keyedHash(secret: Buffer, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts `text` with AES-256-GCM under a key derived from `secret`: base64 of iv, tag, ciphertext. */
export function seal(secret: Buffer, text: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', derive(secret, '', 'seal'), iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The text `seal` sealed; undefined when the secret is not the one it was sealed with, or the text was altered. */
export function unseal(secret: Buffer, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', derive(secret, '', 'seal'), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

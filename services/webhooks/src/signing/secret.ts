import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
/** 32 random bytes: within the 24–64 the Standard Webhooks specification asks for. */
const SECRET_BYTES = 32;

/** A new signing secret, `whsec_` and base64 of random bytes. */
export function newSecret(): string {
  return `${PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The HMAC key of a secret: the base64-decoded part after `whsec_`. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  if (key.length === 0) throw new Error('a webhook secret holds a key');
  return key;
}

import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import { isWordPressHash, verifyWordPressHash } from './wordpress.js';

/**
 * bcrypt reads at most 72 bytes. Every password is first normalised (NFKC) and reduced to a
 * fixed 64-character digest, so the whole password counts, never a truncated prefix, and no NUL
 * byte reaches bcrypt.
 */
function prehash(password: string): string {
  return createHash('sha384').update(password.normalize('NFKC'), 'utf8').digest('base64');
}

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(prehash(password), cost);
}

/** Checks our own hashes, and those imported from WordPress (marked) as WordPress would. */
export function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (isWordPressHash(hash)) return verifyWordPressHash(password, hash);
  return bcrypt.compare(prehash(password), hash);
}

/**
 * A hash of a random password at the configured cost: checking an unknown user against it
 * costs the same time as checking a real one, so timing does not tell who exists.
 */
export function decoyHash(cost: number): Promise<string> {
  return hashPassword(crypto.randomUUID(), cost);
}

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasCanonicalSignature } from './compact.js';

const input = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0';
/** A 32-byte signature whose base64url has a `-` or `_` in it, so every respelling applies. */
const signature = (() => {
  for (let i = 0; ; i++) {
    const sig = createHmac('sha256', `k${i}`).update(input).digest('base64url');
    if (/[-_]/.test(sig)) return sig;
  }
})();

describe('hasCanonicalSignature', () => {
  it('takes the canonical spelling', () => {
    expect(hasCanonicalSignature(`${input}.${signature}`)).toBe(true);
  });

  it('refuses padding, the standard alphabet, whitespace and set unused bits', () => {
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes leave two unused bits in the last character: flipping the lowest keeps the bytes.
    const unusedBits = signature.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    for (const sig of [
      `${signature}=`,
      signature.replace(/-/g, '+').replace(/_/g, '/'),
      ` ${signature}`,
      `${signature}\n`,
      unusedBits,
      '',
    ]) {
      expect(Buffer.from(sig, 'base64')).toEqual(sig === '' ? Buffer.alloc(0) : Buffer.from(signature, 'base64url'));
      expect(hasCanonicalSignature(`${input}.${sig}`), JSON.stringify(sig)).toBe(false);
    }
  });
});

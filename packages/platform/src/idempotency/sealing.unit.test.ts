import { describe, expect, it } from 'vitest';
import { derive, keyedHash, recordId, seal, unseal } from './sealing.js';

describe('sealing', () => {
  const secret = derive('client-key-1', 'caller', 'POST /token');

  it('opens what it sealed with the same secret only', () => {
    const sealed = seal(secret, '{"token":"abc"}');
    expect(sealed).not.toContain('abc');
    expect(unseal(secret, sealed)).toBe('{"token":"abc"}');
    expect(unseal(derive('client-key-2', 'caller', 'POST /token'), sealed)).toBeUndefined();
    expect(unseal(secret, `${sealed.slice(0, -4)}AAAA`)).toBeUndefined();
  });

  it('derives distinct secrets per salt and purpose, and names records without the secret', () => {
    expect(derive('k', 'a', 'p').equals(derive('k', 'b', 'p'))).toBe(false);
    expect(derive('k', 'a', 'p').equals(derive('k', 'a', 'q'))).toBe(false);
    expect(recordId(secret, 'x')).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash(secret, 'body')).not.toBe(keyedHash(derive('k', 'a', 'p'), 'body'));
  });
});

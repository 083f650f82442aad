import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './hashing.js';

describe('password hashing', () => {
  it('counts every byte: passwords sharing their first 72 bytes differ', async () => {
    const prefix = 'x'.repeat(80);
    const hash = await hashPassword(`${prefix}A`, 4);
    expect(await verifyPassword(`${prefix}A`, hash)).toBe(true);
    expect(await verifyPassword(`${prefix}B`, hash)).toBe(false);
    expect(await verifyPassword(prefix, hash)).toBe(false);
  });

  it('verifies the NFKC form, so a full-width spelling is the same password', async () => {
    const hash = await hashPassword('ｐａｓｓｗｏｒｄ-for-testing', 4);
    expect(await verifyPassword('password-for-testing', hash)).toBe(true);
  });

  it('is a bcrypt hash at the asked cost and never the password itself', async () => {
    const hash = await hashPassword('correct horse battery staple', 5);
    expect(hash).toMatch(/^\$2b\$05\$/);
    expect(hash).not.toContain('correct');
  });
});

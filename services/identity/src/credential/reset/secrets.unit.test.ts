import { describe, expect, it } from 'vitest';
import { newResetSecret, resetDigest, sameDigest } from './secrets.js';

const pepper = Buffer.alloc(32, 7);
const binding = { delivery: 'otp' as const, userId: 7, requestId: '0190a6c0-0000-7000-8000-000000000001' };

describe('reset secrets', () => {
  it('makes 256-bit URL-safe link keys, never the same twice', () => {
    const keys = new Set(Array.from({ length: 100 }, () => newResetSecret('link')));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('makes 6-digit codes over the whole range, leading zeros kept', () => {
    const codes = Array.from({ length: 2000 }, () => newResetSecret('otp'));
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/);
    expect(codes.some((c) => c.startsWith('0'))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(1990);
  });

  it('digests under the pepper, bound to the user and the request', () => {
    const digest = resetDigest(pepper, binding, '123456');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain('123456');
    expect(sameDigest(digest, resetDigest(pepper, binding, '123456'))).toBe(true);
    expect(sameDigest(digest, resetDigest(pepper, binding, '123457'))).toBe(false);
    expect(sameDigest(digest, resetDigest(Buffer.alloc(32, 8), binding, '123456'))).toBe(false);
    expect(sameDigest(digest, resetDigest(pepper, { ...binding, userId: 8 }, '123456'))).toBe(false);
    expect(sameDigest(digest, resetDigest(pepper, { ...binding, requestId: `${binding.requestId.slice(0, -1)}2` }, '123456'))).toBe(false);
    expect(sameDigest(digest, resetDigest(pepper, { ...binding, delivery: 'link' }, '123456'))).toBe(false);
  });

  it('never matches an empty or malformed digest', () => {
    expect(sameDigest('', '')).toBe(false);
    expect(sameDigest('abcd', 'abcd00')).toBe(false);
  });
});

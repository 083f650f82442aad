import { describe, expect, it } from 'vitest';
import { blocklistForm, commonPasswordsFrom, parseCommonPasswords } from './blocklist.js';

describe('common-password list', () => {
  it('takes the first entries in order, case-folded, skipping blank lines and CRs', () => {
    const list = parseCommonPasswords('123456\r\npassword\n\nQwerty\nletmein\n', 3);
    expect([...list]).toEqual(['123456', 'password', 'qwerty']);
  });

  it('counts distinct entries, so spellings that fold together do not shrink the list', () => {
    const list = parseCommonPasswords('Password\npassword\nPASSWORD\ndragon\nmonkey\n', 2);
    expect([...list]).toEqual(['password', 'dragon']);
  });

  it('stops at the end of a short list, which loading refuses', () => {
    expect(parseCommonPasswords('a\nb', 10).size).toBe(2);
    expect(() => commonPasswordsFrom('a\nb', 10)).toThrow('the common-password list holds 2 entries, fewer than 10');
    expect(commonPasswordsFrom('a\nb\nc', 2).size).toBe(2);
  });

  it('compares in NFKC, so full-width letters are the same entry', () => {
    expect(blocklistForm('ＰＡＳＳＷＯＲＤ')).toBe('password');
  });
});

import { DomainError } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { canonicalDisplayName, newLogin } from './canonical.js';

const refusal = (typed: string) => {
  try {
    newLogin(typed);
  } catch (err) {
    return err instanceof DomainError ? { code: err.code, details: err.details } : err;
  }
  return undefined;
};

describe('newLogin', () => {
  it('answers the canonical form of an acceptable login', () => {
    expect(newLogin('  ｐａｙｐａｌ ')).toBe('paypal');
    expect(newLogin('山田taro')).toBe('山田taro');
  });

  it('refuses, naming username, a blank login, an invisible character, and mixed scripts', () => {
    expect(refusal('   ')).toEqual({ code: 'rest_invalid_param', details: { params: { username: 'username must not be blank.' } } });
    expect(refusal('ad\u200bmin')).toMatchObject({
      code: 'rest_invalid_param',
      details: { params: { username: /^username may contain only/ } },
    });
    expect(refusal('admin\r\nx')).toMatchObject({ code: 'rest_invalid_param' });
    expect(refusal('p\u0430ypal')).toMatchObject({
      details: { params: { username: /^username must not mix letters of different scripts/ } },
    });
  });
});

describe('canonicalDisplayName', () => {
  it('keeps any script and symbol, drops control and bidi characters, and collapses white space', () => {
    expect(canonicalDisplayName('Ада 😀 Lovelace')).toBe('Ада 😀 Lovelace');
    expect(canonicalDisplayName('Ada\r\n\tLovelace\u0007')).toBe('Ada Lovelace');
    expect(canonicalDisplayName('\u202eAda\u2066 L\u200f')).toBe('Ada L');
    expect(canonicalDisplayName('\u0000\u0001')).toBe('');
  });
});

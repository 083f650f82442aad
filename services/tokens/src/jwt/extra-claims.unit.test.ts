import { RESERVED_CLAIMS } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { extraClaims } from './extra-claims.js';

describe('extraClaims', () => {
  it('keeps claims of other names, values as they are', () => {
    expect(extraClaims({ tenant: 'acme', plan: { tier: 2 }, beta: true, scopes: ['a', 'b'] })).toEqual({
      tenant: 'acme',
      plan: { tier: 2 },
      beta: true,
      scopes: ['a', 'b'],
    });
  });

  it('drops every reserved claim, whatever its value', () => {
    const hostile = Object.fromEntries(RESERVED_CLAIMS.map((name) => [name, 'hook value']));
    expect(extraClaims({ ...hostile, tenant: 'acme' })).toEqual({ tenant: 'acme' });
    expect(RESERVED_CLAIMS).toEqual(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sid', 'data']);
  });

  it('drops prototype keys that came in as own properties of parsed JSON', () => {
    const parsed = JSON.parse('{"__proto__":{"admin":true},"constructor":1,"prototype":2,"tenant":"acme"}');
    const kept = extraClaims(parsed);
    expect(kept).toEqual({ tenant: 'acme' });
    expect(Object.hasOwn(kept, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});

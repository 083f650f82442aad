import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { checker, decodeJson, encodeJson, firstViolation, isValid } from './codec.js';
import { DomainError } from './domain-error.js';

const Body = Type.Object({ name: Type.String({ minLength: 1 }), age: Type.Integer({ minimum: 0 }) });

describe('codec', () => {
  it('round-trips JSON through bytes', () => {
    const value = { a: [1, 'two', null], b: { ü: true } };
    expect(decodeJson(encodeJson(value))).toEqual(value);
    expect(() => decodeJson(new TextEncoder().encode('{"a":'))).toThrow(SyntaxError);
  });

  it('compiles a schema once and reuses the check', () => {
    expect(checker(Body)).toBe(checker(Body));
    expect(isValid(Body, { name: 'Ada', age: 36 })).toBe(true);
    expect(isValid(Body, { name: '', age: 36 })).toBe(false);
  });

  it('names the first violation by its path, or / for the value itself', () => {
    expect(firstViolation(Body, { name: 'Ada', age: 36 })).toBeUndefined();
    expect(firstViolation(Body, { name: 'Ada', age: -1 })).toEqual({ '/age': expect.stringContaining('0') });
    expect(Object.keys(firstViolation(Body, { age: 1 }) ?? {})).toEqual(['/name']);
    expect(Object.keys(firstViolation(Body, 'not an object') ?? {})).toEqual(['/']);
  });
});

describe('DomainError', () => {
  it('turns into the error body of a reply, without a message that only repeats the code', () => {
    const full = new DomainError('headlesskey_user_exists', 'That name is taken.', { field: 'username' });
    expect(full.toBody()).toEqual({ code: 'headlesskey_user_exists', message: 'That name is taken.', details: { field: 'username' } });
    const bare = new DomainError('headlesskey_forbidden');
    expect(bare.message).toBe('headlesskey_forbidden');
    expect(bare.toBody()).toEqual({ code: 'headlesskey_forbidden', message: undefined, details: undefined });
    expect(JSON.parse(JSON.stringify(bare.toBody()))).toStrictEqual({ code: 'headlesskey_forbidden' });
    expect(bare).toBeInstanceOf(Error);
    expect(bare.name).toBe('DomainError');
  });
});

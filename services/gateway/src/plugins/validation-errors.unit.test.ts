import { PATTERNS } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { bodyValidationError, invalidParams, missingParams, type SchemaIssue, withRuleProblems } from './validation-errors.js';

const issue = (keyword: string, instancePath: string, params: Record<string, unknown> = {}): SchemaIssue => ({
  keyword,
  instancePath,
  params,
});

describe('bodyValidationError', () => {
  it('lists every missing field, ignoring wrong types reported alongside', () => {
    const error = bodyValidationError([
      issue('type', '/device', { type: 'string' }),
      issue('required', '', { missingProperty: 'username' }),
      issue('required', '', { missingProperty: 'password' }),
    ]);
    expect(error).toEqual({ code: 'rest_missing_callback_param', details: { params: ['username', 'password'] } });
  });

  it('names a field the schema does not allow, at the top or inside an object', () => {
    const error = bodyValidationError([
      issue('additionalProperties', '', { additionalProperty: 'favourite_colour' }),
      issue('additionalProperties', '/access', { additionalProperty: '/me' }),
    ]);
    expect(error).toEqual({
      code: 'rest_invalid_param',
      details: {
        params: { favourite_colour: 'favourite_colour is not a known parameter.', access: 'access[/me] is not a known parameter.' },
      },
    });
  });

  it('names the deepest wrong part of a field: the list item that matches none of the choices', () => {
    const error = bodyValidationError([
      issue('type', '/access/GET ~1me', { type: 'string' }),
      issue('const', '/access/GET ~1me', {}),
      issue('const', '/access/GET ~1me/0', {}),
      issue('anyOf', '/access/GET ~1me', {}),
    ]);
    expect(error).toEqual({
      code: 'rest_invalid_param',
      details: { params: { access: 'access[GET /me][0] is not one of the allowed values.' } },
    });
  });

  it('maps each wrong field to its first reason, worded as WordPress words it', () => {
    const error = bodyValidationError([
      issue('type', '/username', { type: 'string' }),
      issue('minLength', '/password', { limit: 1 }),
      issue('maxLength', '/password', { limit: 4096 }),
      issue('maxLength', '/name', { limit: 250 }),
      issue('pattern', '/email', { pattern: PATTERNS.email.pattern }),
      issue('format', '/device', { format: 'text' }),
    ]);
    expect(error).toEqual({
      code: 'rest_invalid_param',
      details: {
        params: {
          username: 'username is not of type string.',
          password: 'password must be at least 1 character long.',
          name: 'name must be at most 250 characters long.',
          email: 'email must be an email address, such as ada@example.com.',
          device: 'device must not contain a NUL character or an unpaired surrogate.',
        },
      },
    });
  });

  it('tells what a pattern or a format asks for in words, never as the expression', () => {
    const error = bodyValidationError([
      issue('pattern', '/since', { pattern: PATTERNS.dateTime.pattern }),
      issue('pattern', '/other', { pattern: '^[a-f]+$' }),
      issue('format', '/id', { format: 'user-id' }),
    ]);
    expect(error.details?.params).toEqual({
      since: `since ${PATTERNS.dateTime.rule}`,
      other: 'other is not in the expected format.',
      id: 'id must be a user id: a whole number from 1 to 2147483647.',
    });
  });

  it('words the keywords of lists and maps, and a member a nested object needs', () => {
    const error = bodyValidationError([
      issue('minItems', '/events', { limit: 1 }),
      issue('uniqueItems', '/roles', {}),
      issue('maxProperties', '/access', { limit: 200 }),
      issue('required', '/hooks/token.claims', { missingProperty: 'fail' }),
    ]);
    expect(error.details?.params).toEqual({
      events: 'events must list at least 1 item.',
      roles: 'roles must not list an item twice.',
      access: 'access must have at most 200 members.',
      hooks: 'hooks[token.claims][fail] is required.',
    });
  });

  it('names every plain choice, and both bounds of a number that has two', () => {
    const algorithm = { anyOf: [{ const: 'HS256' }, { const: 'RS256' }, { const: 'ES256' }] };
    const error = bodyValidationError([
      { ...issue('const', '/algorithm', { allowedValue: 'HS256' }), parentSchema: { const: 'HS256' } },
      { ...issue('anyOf', '/algorithm'), parentSchema: algorithm },
      { ...issue('enum', '/status'), parentSchema: { enum: ['pending', 'dead'] } },
      { ...issue('minimum', '/token_ttl', { limit: 60 }), parentSchema: { type: 'integer', minimum: 60, maximum: 2592000 } },
      { ...issue('maximum', '/refresh_grace', { limit: 300 }), parentSchema: { maximum: 300 } },
      { ...issue('anyOf', '/access/GET ~1me'), parentSchema: { anyOf: [{ const: 'public' }, { type: 'array' }] } },
    ]);
    expect(error.details?.params).toEqual({
      algorithm: 'algorithm must be one of HS256, RS256, ES256.',
      status: 'status must be one of pending, dead.',
      token_ttl: 'token_ttl must be between 60 (inclusive) and 2592000 (inclusive).',
      refresh_grace: 'refresh_grace must be less than or equal to 300.',
      access: 'access[GET /me] is not one of the allowed values.',
    });
  });

  it('adds the problems of rules beyond the schema for fields it did not name; missing fields still win', () => {
    const refused = invalidParams({ token_ttl: 'token_ttl must be greater than or equal to 60.' });
    expect(withRuleProblems(refused, { access: 'access[GET /logs] …', token_ttl: 'other' })).toEqual(
      invalidParams({ access: 'access[GET /logs] …', token_ttl: 'token_ttl must be greater than or equal to 60.' }),
    );
    expect(withRuleProblems(missingParams(['x']), { access: 'a' })).toEqual(missingParams(['x']));
  });

  it('names a nested value by its top-level field, WordPress style, and unescapes JSON pointers', () => {
    const error = bodyValidationError([issue('type', '/roles/0', { type: 'string' }), issue('const', '/a~1b', {})]);
    expect(error.details?.params).toEqual({ roles: 'roles[0] is not of type string.', 'a/b': 'a/b is not one of the allowed values.' });
  });

  it('treats a body that is not an object as invalid JSON', () => {
    expect(bodyValidationError([issue('type', '', { type: 'object' })])).toEqual({ code: 'headlesskey_invalid_json' });
  });
});

import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { type AccessRule, accessProblems, narrows, ROUTE_ACCESS } from './access.js';
import { DEFAULT_SETTINGS, Settings, SettingsPatch, settingRuleProblems } from './settings.js';

describe('narrows', () => {
  it.each<[AccessRule, AccessRule, boolean]>([
    ['public', 'public', true],
    ['public', 'authenticated', true],
    ['public', ['subscriber'], true],
    ['authenticated', 'authenticated', true],
    ['authenticated', ['administrator', 'editor'], true],
    ['authenticated', 'public', false],
    [['administrator'], ['administrator'], true],
    [['administrator', 'editor'], ['editor'], true],
    [['administrator'], 'public', false],
    [['administrator'], 'authenticated', false],
    [['administrator'], ['subscriber'], false],
    [['administrator'], ['administrator', 'subscriber'], false],
    [['administrator'], [], false],
  ])('%j narrowed to %j: %s', (base, rule, expected) => {
    expect(narrows(base, rule)).toBe(expected);
  });
});

describe('accessProblems', () => {
  it('accepts narrowing any route, and leaves public routes open to anything', () => {
    expect(
      accessProblems({
        'GET /me': ['administrator'],
        'POST /token/validate': 'authenticated',
        'POST /register': ['administrator'],
        'GET /logs': ['administrator'],
        'POST /token': 'public',
      }),
    ).toEqual({});
  });

  it('refuses opening an administrator route, naming the route', () => {
    const problems = accessProblems({ 'GET /logs': 'public', 'PATCH /settings': 'authenticated', 'GET /webhooks': ['editor'] });
    expect(Object.keys(problems).sort()).toEqual(['GET /logs', 'GET /webhooks', 'PATCH /settings']);
    expect(problems['GET /logs']).toMatch(/access\[GET \/logs\] is restricted to administrator.*never opened/);
  });

  it('refuses making a signed-in route public, and keys that name no route', () => {
    expect(accessProblems({ 'GET /me': 'public', 'GET /nowhere': 'public', 'GET /__proto__': 'public' })).toEqual({
      'GET /me': expect.stringMatching(/never made public/),
      'GET /nowhere': 'access[GET /nowhere] names no route.',
      'GET /__proto__': 'access[GET /__proto__] names no route.',
    });
  });
});

describe('the access setting', () => {
  it('defaults to every route’s access, a valid setting', () => {
    expect(DEFAULT_SETTINGS.access).toEqual(ROUTE_ACCESS);
    expect(Value.Check(Settings, DEFAULT_SETTINGS)).toBe(true);
    expect(accessProblems(ROUTE_ACCESS)).toEqual({});
  });

  it('takes route keys with their method only, and rules of role names (identity knows which roles exist)', () => {
    const valid = (access: unknown) => Value.Check(SettingsPatch, { access });
    expect(valid({ 'GET /me': ['editor'] })).toBe(true);
    expect(valid({ '/me': 'public' })).toBe(false);
    expect(valid({ 'GET /me': ['shop_manager'] })).toBe(true);
    expect(valid({ 'GET /me': ['Root!'] })).toBe(false);
    expect(valid({ 'GET /me': [] })).toBe(false);
    expect(valid({ 'GET /me': 'anyone' })).toBe(false);
  });

  it('a patch names settings only, and carries no defaults a validator could fill in', () => {
    expect(JSON.stringify(SettingsPatch)).not.toContain('"default"');
    expect(Value.Check(SettingsPatch, { token_ttl: 120 })).toBe(true);
    expect(Value.Check(SettingsPatch, { favourite_colour: 'blue' })).toBe(false);
  });
});

describe('settingRuleProblems', () => {
  it('names a setting of the right shape that breaks its rule, whatever else the patch holds', () => {
    expect(settingRuleProblems({ token_ttl: 1, access: { 'GET /logs': 'public' } })).toEqual({
      access: 'access[GET /logs] is restricted to administrator: it can be narrowed to a list of those roles, never opened.',
    });
    expect(settingRuleProblems({ access: { 'GET /nope': ['editor'] } })).toEqual({ access: 'access[GET /nope] names no route.' });
  });

  it('leaves a value of the wrong shape, and a good one, alone', () => {
    expect(settingRuleProblems({ access: 'everyone' })).toEqual({});
    expect(settingRuleProblems({ access: { 'GET /me': ['subscriber'] }, window: 'x' })).toEqual({});
  });
});

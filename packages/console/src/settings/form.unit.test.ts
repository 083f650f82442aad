import { Settings } from '@headlesskey/contracts';
import { beforeAll, describe, expect, it } from 'vitest';

// The build puts the contract's schemas in; here the test does.
let form: typeof import('./form.js');
beforeAll(async () => {
  (globalThis as { __SETTINGS_SCHEMA__?: unknown }).__SETTINGS_SCHEMA__ = JSON.parse(JSON.stringify(Settings.properties));
  form = await import('./form.js');
});

const LOADED = {
  token_ttl: 3600,
  registration: true,
  algorithm: 'HS256',
  custom_roles: ['support'],
  hooks: {
    'token.claims': { timeout_ms: 1000, fail: 'open' },
    'register.validate': { timeout_ms: 1000, fail: 'closed' },
    'login.allow': { timeout_ms: 1000, fail: 'closed' },
  },
};

describe('the settings form', () => {
  it('patches only what changed, typed as the API takes it', () => {
    const draft = form.toDraft(LOADED);
    expect(form.toPatch(LOADED, draft)).toEqual({});
    const hooks = draft.hooks as Record<string, { timeout_ms: string; fail: string }>;
    const changed = {
      ...draft,
      token_ttl: ' 900',
      custom_roles: 'support, billing ,',
      hooks: { ...hooks, 'login.allow': { timeout_ms: '250', fail: 'open' } },
    };
    expect(form.toPatch(LOADED, changed)).toEqual({
      token_ttl: 900,
      custom_roles: ['support', 'billing'],
      hooks: { ...LOADED.hooks, 'login.allow': { timeout_ms: 250, fail: 'open' } },
    });
  });

  it('sends text that is no integer as typed, for the API to name the problem', () => {
    expect(form.toPatch(LOADED, { ...form.toDraft(LOADED), token_ttl: '1e3' })).toEqual({ token_ttl: '1e3' });
  });

  it('files each problem under its setting, and the rest apart', () => {
    expect(form.problemsBySetting({ token_ttl: 'too small', 'hooks/login.allow/timeout_ms': 'too long', surprise: 'unknown' })).toEqual({
      token_ttl: ['too small'],
      hooks: ['too long'],
      '': ['unknown'],
    });
    expect(form.problemsBySetting(undefined)).toEqual({});
  });
});

import { DEFAULT_SETTINGS, ROUTE_ACCESS, type SettingsChanged } from '@headlesskey/contracts';
import { type DecidedCommand, deciderSpec } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { settingsDecider } from './decider.js';
import type { ChangeSettings, SettingsEvent, SettingsState } from './settings.js';
import { effectiveSettings } from './values.js';

const actor = { user_id: 1, user_login: 'site_admin' };
const change = (patch: Record<string, unknown>): ChangeSettings => ({ type: 'ChangeSettings', patch, actor });
/** The history of some patches, each accepted in turn. */
const after = (...patches: Record<string, unknown>[]) => deciderSpec(settingsDecider).givenCommands(...patches.map(change));

const dataOf = (decided: DecidedCommand<SettingsEvent, SettingsState>): SettingsChanged => {
  const [event] = decided.events();
  if (!event) throw new Error('no event');
  return event.data;
};

describe('settings decider', () => {
  it('given the defaults, a change records who made it and each old and new value', () => {
    expect(dataOf(after().when(change({ token_ttl: 120, registration: false })))).toEqual({
      user_id: 1,
      user_login: 'site_admin',
      changes: [
        { setting: 'token_ttl', old: 3600, new: 120 },
        { setting: 'registration', old: true, new: false },
      ],
    });
  });

  it('folds changes into the stored values, over which the defaults stand', () => {
    const { state } = after({ token_ttl: 120 }, { token_ttl: 600, device_policy: 'evict_oldest' });
    expect(state.values).toEqual({ token_ttl: 600, device_policy: 'evict_oldest' });
    expect(effectiveSettings(state.values)).toEqual({ ...DEFAULT_SETTINGS, token_ttl: 600, device_policy: 'evict_oldest' });
  });

  it('the old value is the one in force before, not the default', () => {
    expect(dataOf(after({ window: 600 }).when(change({ window: 1200 }))).changes).toEqual([{ setting: 'window', old: 600, new: 1200 }]);
  });

  it('records nothing when nothing changes', () => {
    after().when(change({})).thenRecords([]);
    after()
      .when(change({ token_ttl: 3600, access: { 'GET /me': 'authenticated' } }))
      .thenRecords([]);
    after({ max_attempts: 9 })
      .when(change({ max_attempts: 9 }))
      .thenRecords([]);
  });

  it('merges access member by member and records each route that changed', () => {
    const history = after({ access: { 'GET /me': ['administrator'] } });
    expect(effectiveSettings(history.state.values).access).toEqual({ ...ROUTE_ACCESS, 'GET /me': ['administrator'] });
    const patch = { access: { 'GET /me': 'authenticated', 'POST /register': ['administrator'] } };
    const decided = history.when(change(patch));
    expect(dataOf(decided).changes).toEqual([
      { setting: 'access', member: 'POST /register', old: 'public', new: ['administrator'] },
      { setting: 'access', member: 'GET /me', old: ['administrator'], new: 'authenticated' },
    ]);
    expect(effectiveSettings(decided.state().values).access).toEqual({ ...ROUTE_ACCESS, 'POST /register': ['administrator'] });
  });

  it.each([
    ['an unknown setting', { favourite_colour: 'blue' }, 'favourite_colour', /not a setting/],
    ['a value below its minimum', { token_ttl: 5 }, 'token_ttl', /token_ttl: .*60/],
    ['a value of the wrong type', { registration: 'no' }, 'registration', /registration/],
    ['a number as a string', { max_attempts: '5' }, 'max_attempts', /max_attempts/],
    ['a value outside its list', { algorithm: 'none' }, 'algorithm', /algorithm/],
    ['an access rule of an unknown role', { access: { 'GET /me': ['root'] } }, 'access', /access/],
    ['an access key that names no route', { access: { 'GET /nowhere': 'public' } }, 'access', /names no route/],
    ['an administrator route opened', { access: { 'GET /logs': 'authenticated' } }, 'access', /never opened/],
    ['an administrator route given a lower role', { access: { 'PATCH /settings': ['administrator', 'editor'] } }, 'access', /never opened/],
    ['a signed-in route made public', { access: { 'GET /me': 'public' } }, 'access', /never made public/],
  ])('refuses %s, naming the setting, and records nothing', (_why, patch, name, reason) => {
    const refusal = after()
      .when(change({ token_ttl: 120, ...patch }))
      .thenRefuses('rest_invalid_param');
    const params = refusal.details?.params as Record<string, string>;
    expect(Object.keys(params)).toEqual([name]);
    expect(params[name]).toMatch(reason);
  });

  it('names every bad setting of one patch', () => {
    const refusal = after()
      .when(change({ token_ttl: 1, refresh_grace: 1000, nope: 1 }))
      .thenRefuses('rest_invalid_param');
    expect(Object.keys(refusal.details?.params as object).sort()).toEqual(['nope', 'refresh_grace', 'token_ttl']);
  });

  it('takes a member named __proto__ as data that names no route, never as a prototype', () => {
    const patch = JSON.parse('{"access": {"__proto__": "public"}}') as Record<string, unknown>;
    after().when(change(patch)).thenRefuses('rest_invalid_param');
    expect(({} as Record<string, unknown>).public).toBeUndefined();
  });
});

import { DEFAULT_SETTINGS, ROUTE_ACCESS, type SettingsChanged } from '@headlesskey/contracts';
import { type Decision, isRefusal } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { settingsDecider } from './decider.js';
import type { SettingsEvent, SettingsState } from './settings.js';
import { effectiveSettings } from './values.js';

const actor = { user_id: 1, user_login: 'site_admin' };
const change = (patch: Record<string, unknown>, state: SettingsState = settingsDecider.initialState) =>
  settingsDecider.decide({ type: 'ChangeSettings', patch, actor }, state);

function eventsOf(decision: Decision<SettingsEvent>): SettingsEvent[] {
  if (isRefusal(decision)) throw new Error(`refused: ${JSON.stringify(decision)}`);
  return [...decision];
}
const dataOf = (decision: Decision<SettingsEvent>): SettingsChanged => {
  const [event] = eventsOf(decision);
  if (!event) throw new Error('no event');
  return event.data;
};
/** The state after some patches, each accepted in turn. */
const after = (...patches: Record<string, unknown>[]) =>
  patches.reduce<SettingsState>(
    (state, patch) => eventsOf(change(patch, state)).reduce(settingsDecider.evolve, state),
    settingsDecider.initialState,
  );

describe('settings decider', () => {
  it('given the defaults, a change records who made it and each old and new value', () => {
    expect(dataOf(change({ token_ttl: 120, registration: false }))).toEqual({
      user_id: 1,
      user_login: 'site_admin',
      changes: [
        { setting: 'token_ttl', old: 3600, new: 120 },
        { setting: 'registration', old: true, new: false },
      ],
    });
  });

  it('folds changes into the stored values, over which the defaults stand', () => {
    const state = after({ token_ttl: 120 }, { token_ttl: 600, device_policy: 'evict_oldest' });
    expect(state.values).toEqual({ token_ttl: 600, device_policy: 'evict_oldest' });
    expect(effectiveSettings(state.values)).toEqual({ ...DEFAULT_SETTINGS, token_ttl: 600, device_policy: 'evict_oldest' });
  });

  it('the old value is the one in force before, not the default', () => {
    const state = after({ window: 600 });
    expect(dataOf(change({ window: 1200 }, state)).changes).toEqual([{ setting: 'window', old: 600, new: 1200 }]);
  });

  it('records nothing when nothing changes', () => {
    expect(change({})).toEqual([]);
    expect(change({ token_ttl: 3600, access: { 'GET /me': 'authenticated' } })).toEqual([]);
    expect(change({ max_attempts: 9 }, after({ max_attempts: 9 }))).toEqual([]);
  });

  it('merges access member by member and records each route that changed', () => {
    const state = after({ access: { 'GET /me': ['administrator'] } });
    expect(effectiveSettings(state.values).access).toEqual({ ...ROUTE_ACCESS, 'GET /me': ['administrator'] });
    const patch = { access: { 'GET /me': 'authenticated', 'POST /register': ['administrator'] } };
    expect(dataOf(change(patch, state)).changes).toEqual([
      { setting: 'access', member: 'POST /register', old: 'public', new: ['administrator'] },
      { setting: 'access', member: 'GET /me', old: ['administrator'], new: 'authenticated' },
    ]);
    const folded = eventsOf(change(patch, state)).reduce(settingsDecider.evolve, state);
    expect(effectiveSettings(folded.values).access).toEqual({ ...ROUTE_ACCESS, 'POST /register': ['administrator'] });
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
    const decision = change({ token_ttl: 120, ...patch });
    if (!isRefusal(decision)) throw new Error('accepted');
    expect(decision.refused).toBe('rest_invalid_param');
    const params = decision.details?.params as Record<string, string>;
    expect(Object.keys(params)).toEqual([name]);
    expect(params[name]).toMatch(reason);
  });

  it('names every bad setting of one patch', () => {
    const decision = change({ token_ttl: 1, refresh_grace: 1000, nope: 1 });
    expect(isRefusal(decision) && Object.keys(decision.details?.params as object).sort()).toEqual(['nope', 'refresh_grace', 'token_ttl']);
  });

  it('takes a member named __proto__ as data that names no route, never as a prototype', () => {
    const patch = JSON.parse('{"access": {"__proto__": "public"}}') as Record<string, unknown>;
    const decision = change(patch);
    expect(isRefusal(decision)).toBe(true);
    expect(({} as Record<string, unknown>).public).toBeUndefined();
  });
});

import { fold, isRefusal } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { userDecider } from './decider.js';
import type { Register } from './user.js';

const register: Register = { type: 'Register', id: 7, login: 'Ada', email: 'ada@example.com', displayName: 'Ada L', roles: ['subscriber'] };

describe('user decider', () => {
  it('given no user, registering records who registered', () => {
    const decision = userDecider.decide(register, userDecider.initialState);
    expect(decision).toEqual([
      {
        type: 'user.registered',
        data: { user_id: 7, user_login: 'Ada', user_email: 'ada@example.com', display_name: 'Ada L', roles: ['subscriber'] },
      },
    ]);
  });

  it('given a registered user, registering again is refused and records nothing', () => {
    const events = userDecider.decide(register, userDecider.initialState);
    if (isRefusal(events)) throw new Error('first registration refused');
    const state = fold(userDecider, events);
    const again = userDecider.decide(register, state);
    expect(isRefusal(again) && again.refused).toBe('headlesskey_user_exists');
  });

  it('folds a registration into an active user', () => {
    const events = userDecider.decide(register, userDecider.initialState);
    if (isRefusal(events)) throw new Error('refused');
    expect(fold(userDecider, events)).toMatchObject({ status: 'active', id: 7, roles: ['subscriber'] });
  });
});

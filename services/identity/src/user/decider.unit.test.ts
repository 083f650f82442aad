import { deciderSpec } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { userDecider } from './decider.js';
import type { Register } from './user.js';

const register: Register = { type: 'Register', id: 7, login: 'Ada', email: 'ada@example.com', displayName: 'Ada L', roles: ['subscriber'] };
const spec = deciderSpec(userDecider);

describe('user decider', () => {
  it('given no user, registering records who registered', () => {
    spec
      .given()
      .when(register)
      .thenRecords([
        {
          type: 'user.registered',
          data: { user_id: 7, user_login: 'Ada', user_email: 'ada@example.com', display_name: 'Ada L', roles: ['subscriber'] },
        },
      ]);
  });

  it('given a registered user, registering again is refused and records nothing', () => {
    spec.givenCommands(register).when(register).thenRefuses('headlesskey_user_exists');
  });

  it('folds a registration into an active user', () => {
    expect(spec.givenCommands(register).state).toMatchObject({ status: 'active', id: 7, roles: ['subscriber'] });
  });
});

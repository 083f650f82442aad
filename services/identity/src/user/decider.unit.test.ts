import { deciderSpec } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { userDecider } from './decider.js';
import type { Administer, Register } from './user.js';

const register: Register = { type: 'Register', id: 7, login: 'Ada', email: 'ada@example.com', displayName: 'Ada L', roles: ['subscriber'] };
const spec = deciderSpec(userDecider);
const by = { user_id: 1, user_login: 'admin' };
const administer = (change: Omit<Administer, 'type' | 'by'>): Administer => ({ type: 'Administer', by, ...change });

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
    expect(spec.givenCommands(register).state).toMatchObject({
      status: 'registered',
      id: 7,
      standing: 'active',
      version: 1,
      roles: ['subscriber'],
    });
  });

  it('given a registered user, one change records one event per kind of change, in order, each naming who', () => {
    spec
      .givenCommands(register)
      .when(administer({ email: 'ada@new.example', roles: ['editor'], standing: 'disabled' }))
      .thenRecords([
        { type: 'user.updated', data: { user_id: 7, user_email: 'ada@new.example', by } },
        { type: 'user.roles_changed', data: { user_id: 7, roles: ['editor'], previous_roles: ['subscriber'], by } },
        { type: 'user.disabled', data: { user_id: 7, by } },
      ]);
  });

  it('a field given as it already is changes nothing; roles compare as a set', () => {
    spec
      .givenCommands(register)
      .when(administer({ email: 'ada@example.com', displayName: 'Ada L', roles: ['subscriber'], standing: 'active' }))
      .thenRecords([]);
  });

  it('given a disabled user, enabling records user.enabled and folds into an active standing', () => {
    const disabled = spec.givenCommands(register, administer({ standing: 'disabled' }));
    expect(disabled.state).toMatchObject({ standing: 'disabled', version: 2 });
    disabled.when(administer({ standing: 'active' })).thenRecords([{ type: 'user.enabled', data: { user_id: 7, by } }]);
  });

  it('given no user, a change is refused as not found', () => {
    spec
      .given()
      .when(administer({ roles: ['editor'] }))
      .thenRefuses('headlesskey_not_found');
  });

  it('verifies an email once; a new address needs its own proof', () => {
    const verified = spec.givenCommands(register, { type: 'VerifyEmail' });
    expect(verified.state).toMatchObject({ emailVerified: true });
    verified.when({ type: 'VerifyEmail' }).thenRecords([]);
    const moved = spec.givenCommands(register, { type: 'VerifyEmail' }, administer({ email: 'ada@new.example' }));
    expect(moved.state).toMatchObject({ emailVerified: false });
    moved.when({ type: 'VerifyEmail' }).thenRecords([{ type: 'user.email_verified', data: { user_id: 7 } }]);
  });
});

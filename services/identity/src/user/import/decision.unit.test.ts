import { deciderSpec } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { userDecider } from '../decider.js';
import type { Import, Register, UserCommand } from '../user.js';

const by = { cli: 'operator' };
const wpAdmin: Import = {
  type: 'Import',
  id: 42,
  login: 'ada',
  email: 'ada@example.com',
  displayName: 'Ada Lovelace',
  roles: ['administrator'],
  registeredAt: '2015-03-01T10:00:00.000Z',
  by,
};
const spec = deciderSpec(userDecider);
const bob: Register = { type: 'Register', id: 42, login: 'bob', email: 'bob@example.com', displayName: 'Bob', roles: ['subscriber'] };
const reasonOf = (command: Import, ...history: UserCommand[]) =>
  spec
    .givenCommands(...history)
    .when(command)
    .thenRefuses('headlesskey_user_exists').details?.reason;

describe('importing a WordPress user (user decider)', () => {
  it('given a free ID, records the user under their WordPress ID, with no hash', () => {
    spec
      .given()
      .when(wpAdmin)
      .thenRecords([
        {
          type: 'user.imported',
          data: {
            user_id: 42,
            user_login: 'ada',
            user_email: 'ada@example.com',
            display_name: 'Ada Lovelace',
            roles: ['administrator'],
            registered_at: '2015-03-01T10:00:00.000Z',
            source: 'wordpress',
            by,
          },
        },
      ]);
  });

  it('folds an imported user into an active registered one that administration can change', () => {
    const given = spec.givenCommands(wpAdmin);
    expect(given.state).toMatchObject({
      status: 'registered',
      id: 42,
      login: 'ada',
      roles: ['administrator'],
      standing: 'active',
      version: 1,
    });
    expect(given.when({ type: 'Administer', roles: ['editor'], by }).events()).toHaveLength(1);
  });

  it('given the same user imported, the same import again records nothing, roles in any order', () => {
    spec.givenCommands(wpAdmin).when(wpAdmin).thenRecords([]);
    const twoRoles = { ...wpAdmin, roles: ['administrator', 'editor'] };
    spec
      .givenCommands(twoRoles)
      .when({ ...twoRoles, roles: ['editor', 'administrator'] })
      .thenRecords([]);
  });

  it('given the same login imported with other data since, refuses rather than overwrite', () => {
    expect(reasonOf({ ...wpAdmin, email: 'ada@new.example' }, wpAdmin)).toBe('changed_since_import');
    expect(reasonOf({ ...wpAdmin, roles: ['subscriber'] }, wpAdmin)).toBe('changed_since_import');
  });

  it('given the ID held by another login, or by a deleted account, refuses it as taken', () => {
    expect(reasonOf(wpAdmin, bob)).toBe('id_taken');
    expect(reasonOf(wpAdmin, wpAdmin, { type: 'Delete', by })).toBe('id_taken');
  });

  it('refuses a login or email the store says another account holds, but an ID taken tells first', () => {
    expect(reasonOf({ ...wpAdmin, conflict: 'duplicate_email' })).toBe('duplicate_email');
    expect(reasonOf({ ...wpAdmin, conflict: 'duplicate_login' })).toBe('duplicate_login');
    expect(reasonOf({ ...wpAdmin, conflict: 'duplicate_email' }, bob)).toBe('id_taken');
  });
});

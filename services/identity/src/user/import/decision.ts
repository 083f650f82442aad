import type { Role } from '@headlesskey/contracts';
import { type Decision, refuse } from '@headlesskey/platform';
import type { Import, UserEvent, UserState } from '../user.js';

/** Why an import of one user was refused: the reason the operator reads in the summary. */
export type ImportRefusal = 'id_taken' | 'changed_since_import' | 'duplicate_login' | 'duplicate_email';

/**
 * One WordPress user under their WordPress ID. An ID nobody holds takes them. The same login
 * there already is the same account: unchanged when it is as the import says (a rerun), refused
 * when it has changed since (here or at WordPress: the import never overwrites). Another login
 * holding the ID (or a deleted account, whose ID is never used again) refuses it, as does a login
 * or an email another account holds.
 */
export function importDecision(command: Import, state: UserState): Decision<UserEvent> {
  if (state.status === 'deleted') return refused('id_taken');
  if (state.status === 'registered') {
    if (state.login !== command.login) return refused('id_taken');
    const same = state.email === command.email && state.displayName === command.displayName && sameRoles(state.roles, command.roles);
    return same ? [] : refused('changed_since_import');
  }
  if (command.conflict) return refused(command.conflict);
  return [
    {
      type: 'user.imported',
      data: {
        user_id: command.id,
        user_login: command.login,
        user_email: command.email,
        display_name: command.displayName,
        roles: command.roles,
        registered_at: command.registeredAt,
        source: 'wordpress',
        by: command.by,
      },
    },
  ];
}

const refused = (reason: ImportRefusal) => refuse('headlesskey_user_exists', undefined, { reason });

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((role) => b.includes(role));

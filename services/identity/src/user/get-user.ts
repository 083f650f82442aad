import type { identityCommands, Role, UserView } from '@headlesskey/contracts';
import { DomainError, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { findById } from './read-model.js';

/** The current profile of a user: `/me`, and the `user` of a refreshed token. */
export function getUserHandler(svc: WritingService) {
  return async ({ user_id }: Static<typeof identityCommands.getUser.request>): Promise<UserView> => {
    const user = await findById(svc.store.db, user_id);
    if (!user) throw new DomainError('headlesskey_not_found', 'No such user.');
    return user;
  };
}

/**
 * The current profiles of many users, in one read on the plain pool: the tokens service asks
 * for the users of every refresh it decides at once.
 */
export function getUsersHandler(svc: WritingService) {
  return async ({ user_ids }: Static<typeof identityCommands.getUsers.request>) => {
    const { rows } = await svc.reads.query<{ id: number; user_login: string; user_email: string; display_name: string; roles: Role[] }>({
      name: 'users-by-ids',
      text: 'select id, user_login, user_email, display_name, roles from users where id = any($1::int[])',
      values: [[...new Set(user_ids)]],
    });
    const users = rows.map<UserView>((r) => ({
      ID: r.id,
      user_login: r.user_login,
      user_email: r.user_email,
      display_name: r.display_name,
      roles: r.roles,
    }));
    return { users };
  };
}

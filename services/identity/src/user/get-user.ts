import type { identityCommands, UserView } from '@headlesskey/contracts';
import { DomainError, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { findById, findByIds } from './read-model.js';

/** The current profile of a user: `/me`, and the `user` of a refreshed token. */
export function getUserHandler(svc: WritingService) {
  return async ({ user_id }: Static<typeof identityCommands.getUser.request>): Promise<UserView> => {
    const user = await findById(svc.store.db, user_id);
    if (!user) throw new DomainError('headlesskey_not_found', 'No such user.');
    return user;
  };
}

/** The current profiles of many users: the tokens service asks for those of a whole batch of refreshes at once. */
export function getUsersHandler(svc: WritingService) {
  return async ({ user_ids }: Static<typeof identityCommands.getUsers.request>) => ({ users: await findByIds(svc.store.db, user_ids) });
}

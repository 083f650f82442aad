import { identityCommands, UserIdPath } from '@headlesskey/contracts';
import { actorOf } from '../plugins/access.js';
import { defineRoute, type RouteGroup } from './route.js';

/** User administration: the list, one user, a new account, and a change of profile, roles or status. */
export const userRoutes: RouteGroup = {
  name: 'users',
  routes: [
    defineRoute({
      method: 'GET',
      url: '/users',
      summary: 'The users',
      description:
        'Newest first; `search` matches the start of the login, the email or the display name in any case; filter by `role` and `status`; page with `per_page` and `cursor`.',
      query: identityCommands.UsersQuery,
      response: identityCommands.listUsers.reply,
      handle: ({ query, bus }) => bus.send(identityCommands.listUsers, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/users/:id',
      summary: 'One user',
      description: 'As the list shows it, with `locked_until` while a lockout holds the account.',
      params: UserIdPath,
      response: identityCommands.getManagedUser.reply,
      handle: ({ params, bus }) => bus.send(identityCommands.getManagedUser, { user_id: Number(params.id) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/users',
      idempotent: true,
      status: 201,
      summary: 'Create a user',
      description:
        'With its roles (`subscriber` unless given). Without `password`, set `send_password_mail`: the user is mailed a link to choose one.',
      body: identityCommands.CreateUserBody,
      response: identityCommands.createUser.reply,
      errors: ['headlesskey_user_exists', 'headlesskey_weak_password'],
      handle: ({ body, caller, request, bus }) =>
        bus.send(identityCommands.createUser, { ...body, actor: actorOf(caller!), context: request.requestContext }),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/users/:id',
      idempotent: true,
      summary: 'Change a user',
      description:
        "Display name, email, roles, or status (`active` or `disabled`): a demoted user's token loses the role on its next request; a disabled user's sessions end. The last active administrator cannot be demoted or disabled.",
      params: UserIdPath,
      body: identityCommands.UpdateUserBody,
      response: identityCommands.updateUser.reply,
      errors: ['headlesskey_user_exists', 'headlesskey_last_administrator'],
      handle: ({ body, params, caller, request, bus }) =>
        bus.send(identityCommands.updateUser, {
          ...body,
          user_id: Number(params.id),
          actor: actorOf(caller!),
          context: request.requestContext,
        }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/users/:id',
      idempotent: true,
      summary: 'Delete a user',
      description:
        "Sessions end, the login and email become free, and the user's personal data is erased from every store and the event stream (README, Erasure). The last active administrator cannot be deleted.",
      params: UserIdPath,
      response: identityCommands.deleteUser.reply,
      errors: ['headlesskey_last_administrator'],
      handle: ({ params, caller, request, bus }) =>
        bus.send(identityCommands.deleteUser, { user_id: Number(params.id), actor: actorOf(caller!), context: request.requestContext }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/me',
      idempotent: true,
      summary: "Delete the caller's account",
      description: "The caller's password again in `password`; then as `DELETE /users/{id}` (README, Erasure).",
      body: identityCommands.DeleteMeBody,
      response: identityCommands.deleteUser.reply,
      errors: ['headlesskey_incorrect_password', 'headlesskey_last_administrator'],
      handle: ({ body, caller, request, bus }) =>
        bus.send(identityCommands.deleteUser, { user_id: caller!.userId, password: body.password, context: request.requestContext }),
    }),
  ],
};

import { randomUUID } from 'node:crypto';
import type { identityCommands, ManagedUser } from '@headlesskey/contracts';
import { type CommandMeta, DomainError, metaFrom } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { enqueueMailJob } from '../../credential/reset/jobs.js';
import type { Identity } from '../../identity.js';
import { identifierKey } from '../canonical.js';
import { verifiesEmail } from '../email-verification/request.js';
import { createUser } from '../register.js';
import { actorOf } from './actor.js';
import { managedById } from './directory.js';
import { assertKnownRoles } from './known-roles.js';

type CreateUserCommand = Static<typeof identityCommands.createUser.request>;

/**
 * `POST /users`: an administrator creates an account with its roles (a subscriber unless told).
 * Given no password, the account gets one nobody knows and the user is sent the reset mail to set
 * theirs; given one, it must pass the password policy as a registration's does. No hook is asked
 * and no session opened: the administrator is not the user.
 */
export function createUserHandler(app: Identity, queued: () => void) {
  const { svc } = app;
  return async (cmd: CreateUserCommand, { deadline, step }: CommandMeta): Promise<ManagedUser> => {
    if (cmd.password === undefined && cmd.send_password_mail !== true) {
      throw new DomainError('rest_invalid_param', undefined, {
        params: { password: 'password is required unless send_password_mail is true.' },
      });
    }
    assertKnownRoles(svc.settings, cmd.roles);
    const created = await step('create', () =>
      createUser(
        app,
        {
          username: cmd.username,
          email: cmd.email,
          password: cmd.password,
          name: cmd.name,
          context: cmd.context,
          by: cmd.actor,
          verifyEmail: verifiesEmail(app),
        },
        cmd.roles ?? ['subscriber'],
        undefined,
        deadline,
      ),
    );
    if (cmd.send_password_mail) {
      await step('mail', async () => {
        await enqueueMailJob(svc.store.db, {
          id: randomUUID(),
          loginKey: identifierKey(created.user_login),
          delivery: 'link',
          meta: metaFrom(cmd.context, actorOf(cmd.actor)),
        });
        queued();
      });
    }
    const [user] = await managedById(svc, [created.ID]);
    if (!user) throw new Error('a created user could not be read back');
    return user;
  };
}

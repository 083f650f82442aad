import { type identityCommands, type ManagedUser, tokensCommands } from '@headlesskey/contracts';
import { type CommandMeta, DomainError, handleCommand, isUniqueViolation, metaFrom, type Sql } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../../identity.js';
import { canonicalDisplayName, canonicalEmail, identifierKey } from '../canonical.js';
import { userDecider } from '../decider.js';
import { queueVerification, verifiesEmail } from '../email-verification/request.js';
import { toView } from '../read-model.js';
import { type UserEvent, type UserState, userStream } from '../user.js';
import { actorOf } from './actor.js';
import { managedById } from './directory.js';
import { assertKnownRoles } from './known-roles.js';
import { assertAdministratorRemains } from './last-administrator.js';

type UpdateUserCommand = Static<typeof identityCommands.updateUser.request>;
type RegisteredUser = Extract<UserState, { status: 'registered' }>;

/**
 * `PATCH /users/{id}`: the change is decided and written in one transaction (refused whole if it
 * would leave no active administrator or take an email in use), then the tokens service is told
 * before the answer — so the demoted lose the role on their next request and the disabled hold no
 * session. Sent again with its key, the change is not made twice and the tokens service is told again.
 */
export function updateUserHandler(app: Identity) {
  const { svc } = app;
  return async (cmd: UpdateUserCommand, { commandKey, step }: CommandMeta): Promise<ManagedUser> => {
    assertKnownRoles(svc.settings, cmd.roles);
    const user = await step('change', async () => {
      const { state } = await handleCommand({
        store: svc.store,
        scope: svc.scope,
        streamId: userStream(cmd.user_id),
        decider: userDecider,
        command: {
          type: 'Administer',
          ...(cmd.email !== undefined ? { email: canonicalEmail(cmd.email) } : {}),
          ...(cmd.name !== undefined ? { displayName: displayNameOf(cmd.name) } : {}),
          ...(cmd.roles !== undefined ? { roles: cmd.roles } : {}),
          ...(cmd.status !== undefined ? { standing: cmd.status } : {}),
          by: cmd.actor,
        },
        meta: metaFrom(cmd.context, actorOf(cmd.actor)),
        project: async (tx, events, next) => {
          await applyChanges(tx, events, next as RegisteredUser);
          // A new address is proven anew.
          const moved = events.some((e) => e.type === 'user.updated' && e.data.user_email !== undefined);
          if (moved && verifiesEmail(app))
            await queueVerification(tx, (next as RegisteredUser).login, metaFrom(cmd.context, actorOf(cmd.actor)));
        },
      });
      if (state.status !== 'registered') throw new DomainError('headlesskey_not_found', 'No such user.');
      return state;
    });
    const synced = await svc.client.send(
      tokensCommands.syncUser,
      { user: toView(user), status: user.standing, version: user.version, context: cmd.context },
      undefined,
      { commandKey },
    );
    if (!synced.ok) throw new DomainError(synced.error.code, synced.error.message, synced.error.details);
    const [managed] = await managedById(svc, [user.id]);
    if (!managed) throw new DomainError('headlesskey_not_found', 'No such user.');
    return managed;
  };
}

/** A display name as it is kept; one with nothing left to show is refused. */
function displayNameOf(name: string): string {
  const canonical = canonicalDisplayName(name);
  if (!canonical) throw new DomainError('rest_invalid_param', undefined, { params: { name: 'name must hold a visible character.' } });
  return canonical;
}

/** The read model after the change; a taken email or a lost last administrator refuses it all. */
async function applyChanges(tx: Sql, events: readonly UserEvent[], user: RegisteredUser): Promise<void> {
  if (events.length === 0) return;
  await tx.execute('update users set user_email = ?, display_name = ?, roles = ?::jsonb, status = ?, email_verified = ? where id = ?', [
    user.email,
    user.displayName,
    JSON.stringify(user.roles),
    user.standing,
    user.emailVerified,
    user.id,
  ]);
  if (events.some((e) => e.type === 'user.updated' && e.data.user_email !== undefined)) {
    await tx.execute("delete from user_identifiers where user_id = ? and kind = 'email'", [user.id]);
    try {
      await tx.execute("insert into user_identifiers (key, user_id, kind) values (?, ?, 'email')", [identifierKey(user.email), user.id]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError('headlesskey_user_exists');
      throw err;
    }
  }
  // Only a change that takes an active administrator away can leave none.
  const rolesChanged = events.find((e) => e.type === 'user.roles_changed');
  const before = rolesChanged ? rolesChanged.data.previous_roles : user.roles;
  const wasActive = user.standing === 'active' || events.some((e) => e.type === 'user.disabled');
  const isAdministrator = user.roles.includes('administrator') && user.standing === 'active';
  if (before.includes('administrator') && wasActive && !isAdministrator) await assertAdministratorRemains(tx);
}

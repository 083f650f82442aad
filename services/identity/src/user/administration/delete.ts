import { type identityCommands, type RequestContext, tokensCommands } from '@headlesskey/contracts';
import { type CommandMeta, DomainError, eraseFromEventStore, handleCommand, metaFrom, type Sql } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { confirmPassword } from '../../credential/confirm-password.js';
import { findWithCredential } from '../../credential/read-model.js';
import type { Identity } from '../../identity.js';
import { accountKey, mailKey, otpKey, verifyKey } from '../../sign-in/lockout/keys.js';
import { userDecider } from '../decider.js';
import { userStream } from '../user.js';
import { actorOf } from './actor.js';
import { assertAdministratorRemains } from './last-administrator.js';

type DeleteUserCommand = Static<typeof identityCommands.deleteUser.request>;

/**
 * `DELETE /users/{id}` and `DELETE /me` (README, Erasure): the account goes and its personal data
 * is erased everywhere, in this order —
 * 1. here, in one transaction: `user.deleted`, the account's rows (login and email free again,
 *    credential, devices, resets, links, counters), and the personal fields of every event about
 *    the user in this store (refused whole if it would leave no active administrator);
 * 2. the tokens service: sessions end, its events, snapshots and tables erased the same way;
 * 3. the event stream: what this service published about the user before, erased on disk.
 * The audit and webhooks services erase theirs when `user.deleted` reaches them. Nothing here is
 * recorded with the request's address: an account deleting itself does so from its own.
 * Sent again with its key, each step that was done is not done twice and the rest is done.
 */
export function deleteUserHandler(app: Identity) {
  const { svc } = app;
  return async (cmd: DeleteUserCommand, { deadline, commandKey, step }: CommandMeta): Promise<{ deleted: true }> => {
    const context: RequestContext = { ip: '', userAgent: '', requestId: cmd.context.requestId };
    const erasure = await step('erase', async () => {
      const found = await findWithCredential(svc.store.db, cmd.user_id);
      if (!found) throw new DomainError('headlesskey_not_found', 'No such user.');
      if (cmd.actor === undefined) {
        if (cmd.password === undefined) throw new DomainError('rest_missing_callback_param', undefined, { params: ['password'] });
        await confirmPassword(app, found, cmd.password, cmd.context, deadline, 'delete_account');
      }
      let erased: Awaited<ReturnType<typeof eraseFromEventStore>> | undefined;
      await handleCommand({
        store: svc.store,
        scope: svc.scope,
        streamId: userStream(cmd.user_id),
        decider: userDecider,
        command: { type: 'Delete', ...(cmd.actor ? { by: cmd.actor } : {}) },
        meta: metaFrom(context, cmd.actor ? actorOf(cmd.actor) : undefined),
        project: async (tx) => {
          await removeAccount(tx, cmd.user_id, found.user.user_login);
          if (found.user.roles.includes('administrator') && !found.disabled) await assertAdministratorRemains(tx);
          erased = await eraseFromEventStore(tx, cmd.user_id);
        },
      });
      if (!erased) throw new Error('the deletion erased nothing');
      return erased;
    });
    const tokens = await svc.client.send(tokensCommands.eraseUser, { user_id: cmd.user_id, context }, undefined, { commandKey });
    if (!tokens.ok) throw new DomainError(tokens.error.code, tokens.error.message, tokens.error.details);
    await step('stream', () => svc.eraseFromStream(cmd.user_id, erasure));
    return { deleted: true };
  };
}

/** The account's rows: its login and email become free, and nothing of it is left to sign in with. */
async function removeAccount(tx: Sql, userId: number, login: string): Promise<void> {
  const keys = (await tx.execute<{ key: string }[]>('select key from user_identifiers where user_id = ?', [userId])).map((r) => r.key);
  await tx.execute('delete from reset_mail_jobs where user_id = ? or login_key = any(?::text[])', [userId, keys]);
  // The account's counters, from every address and from each: their keys name the address.
  const own = [accountKey(userId, login), otpKey(userId, login), verifyKey(userId, login), mailKey(userId)];
  await tx.execute('delete from attempt_counters where key = any(?::text[]) or key like any(?::text[])', [
    own,
    own.map((key) => `${key}|%`),
  ]);
  for (const table of ['user_identifiers', 'credentials', 'password_resets', 'email_verifications', 'known_devices', 'sso_links']) {
    await tx.execute(`delete from ${table} where user_id = ?`, [userId]);
  }
  await tx.execute('delete from users where id = ?', [userId]);
}

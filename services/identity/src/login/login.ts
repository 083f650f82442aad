import { type identityCommands, type TokenReply, tokensCommands, type UserView } from '@headlesskey/contracts';
import { DomainError, metaFrom, recordEvents, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { verifyPassword } from '../passwords/hashing.js';
import { identifierKey } from '../user/canonical.js';
import { findByIdentifier } from '../user/read-model.js';

type LoginCommand = Static<typeof identityCommands.login.request>;

/**
 * Sign-in attempts have their own streams, apart from the user's: per account when the login
 * names one, else per typed name, so unknown names can be throttled the same way.
 */
export const signInStream = (user: UserView | undefined, typed: string) =>
  user ? `signin-user-${user.ID}` : `signin-name-${identifierKey(typed)}`;

const INVALID = 'Invalid username or password.';

/**
 * `POST /token`: checks the password (an unknown user is checked against a decoy hash, so both
 * cost one bcrypt), records the attempt, then asks the tokens service for a session.
 */
export function loginHandler(svc: WritingService, decoyHash: string) {
  return async (cmd: LoginCommand): Promise<TokenReply> => {
    const found = await findByIdentifier(svc.store.em.fork(), cmd.username);
    const matched = await verifyPassword(cmd.password, found?.passwordHash ?? decoyHash);
    const user = matched ? found?.user : undefined;
    const meta = metaFrom(cmd.context, found?.user.ID);
    const stream = signInStream(found?.user, cmd.username);
    if (!user) {
      await recordEvents(
        svc.store.em,
        svc.scope,
        stream,
        [{ type: 'auth.login.failed', data: { user_id: found?.user.ID ?? null, reason: 'invalid_credentials' } }],
        meta,
      );
      throw new DomainError('headlesskey_invalid_credentials', INVALID);
    }
    await recordEvents(
      svc.store.em,
      svc.scope,
      stream,
      [{ type: 'auth.login.succeeded', data: { user_id: user.ID, user_login: user.user_login } }],
      meta,
    );
    const issued = await svc.client.send(tokensCommands.issue, { user, context: cmd.context });
    if (!issued.ok) throw new DomainError(issued.error.code, issued.error.message, issued.error.details);
    return { ...issued.data, user };
  };
}

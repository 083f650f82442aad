import { type identityCommands, type RegisterReply, type Role, tokensCommands, type UserView } from '@headlesskey/contracts';
import { DomainError, handleCommand, metaFrom, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { IdentityConfig } from '../config.js';
import { hashPassword } from '../passwords/hashing.js';
import { passwordProblem } from '../passwords/policy.js';
import { canonicalEmail, canonicalName } from './canonical.js';
import { userDecider } from './decider.js';
import { insertUser, nextUserId, toView } from './read-model.js';
import { userStream } from './user.js';

type RegisterCommand = Static<typeof identityCommands.register.request>;

/** Creates an account: policy, hash, then the event, reserved keys and credential in one transaction. */
export async function createUser(svc: WritingService, config: IdentityConfig, cmd: RegisterCommand, roles: Role[]): Promise<UserView> {
  const login = canonicalName(cmd.username);
  const email = canonicalEmail(cmd.email);
  if (!login) throw new DomainError('rest_invalid_param', undefined, { params: { username: 'Username must not be blank.' } });
  const problem = passwordProblem(cmd.password, {
    minLength: svc.settings.current().password_min_length,
    username: login,
    email,
    siteName: config.siteName,
  });
  if (problem) throw new DomainError('headlesskey_weak_password', problem);
  const passwordHash = await hashPassword(cmd.password, config.bcryptCost);
  const id = await nextUserId(svc.store.em.fork());
  const at = new Date();
  const { state } = await handleCommand({
    store: svc.store,
    scope: svc.scope,
    streamId: userStream(id),
    decider: userDecider,
    command: { type: 'Register', id, login, email, displayName: canonicalName(cmd.name ?? '') || login, roles },
    meta: metaFrom(cmd.context, id),
    project: async (em, _events, next) => {
      if (next.status === 'active') await insertUser(em, next, passwordHash, at);
    },
  });
  if (state.status !== 'active') throw new Error('registration left no active user');
  return toView(state);
}

/** `POST /register`: a new subscriber, logged in at once. */
export function registerHandler(svc: WritingService, config: IdentityConfig) {
  return async (cmd: RegisterCommand): Promise<RegisterReply> => {
    if (!svc.settings.current().registration) {
      throw new DomainError('headlesskey_registration_disabled', 'User registration is currently not allowed.');
    }
    const user = await createUser(svc, config, cmd, ['subscriber']);
    const issued = await svc.client.send(tokensCommands.issue, { user, context: cmd.context });
    if (!issued.ok) throw new DomainError(issued.error.code, issued.error.message, issued.error.details);
    const { token, expiration, expires_in, jti } = issued.data;
    return { user_id: user.ID, user, token_response: { token, expiration, expires_in, jti } };
  };
}

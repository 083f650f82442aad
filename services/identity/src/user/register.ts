import { type identityCommands, type RegisterReply, type Role, tokensCommands, type UserView } from '@headlesskey/contracts';
import { DomainError, handleCommand, metaFrom } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { Identity } from '../identity.js';
import { hashPassword } from '../passwords/hashing.js';
import { canonicalEmail, canonicalName } from './canonical.js';
import { userDecider } from './decider.js';
import { insertUser, nextUserId, toView } from './read-model.js';
import { userStream } from './user.js';

type RegisterCommand = Static<typeof identityCommands.register.request>;

/** Creates an account: policy, hash, then the event, reserved keys and credential in one transaction. */
export async function createUser(app: Identity, cmd: RegisterCommand, roles: Role[]): Promise<UserView> {
  const { svc, config } = app;
  const login = canonicalName(cmd.username);
  const email = canonicalEmail(cmd.email);
  if (!login) throw new DomainError('rest_invalid_param', undefined, { params: { username: 'Username must not be blank.' } });
  app.policy.assertAcceptable(cmd.password, { username: login, email });
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
export function registerHandler(app: Identity) {
  const { svc } = app;
  return async (cmd: RegisterCommand): Promise<RegisterReply> => {
    if (!svc.settings.current().registration) {
      throw new DomainError('headlesskey_registration_disabled', 'User registration is currently not allowed.');
    }
    const user = await createUser(app, cmd, ['subscriber']);
    const issued = await svc.client.send(tokensCommands.issue, { user, context: cmd.context });
    if (!issued.ok) throw new DomainError(issued.error.code, issued.error.message, issued.error.details);
    const { token, expiration, expires_in, jti } = issued.data;
    return { user_id: user.ID, user, token_response: { token, expiration, expires_in, jti } };
  };
}

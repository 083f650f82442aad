import { randomBytes } from 'node:crypto';
import {
  type ChangedBy,
  hooks,
  type identityCommands,
  type RegisterReply,
  type Role,
  tokensCommands,
  type UserView,
} from '@headlesskey/contracts';
import { type CommandMeta, DomainError, handleCommand, metaFrom } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { hashPassword } from '../credential/passwords/hashing.js';
import { refusalOf } from '../hooks/verdict.js';
import type { Identity } from '../identity.js';
import { canonicalDisplayName, canonicalEmail, newLogin } from './canonical.js';
import { userDecider } from './decider.js';
import { queueVerification, verifiesEmail } from './email-verification/request.js';
import { insertUser, nextUserId, toView } from './read-model.js';
import { userStream } from './user.js';

type RegisterCommand = Static<typeof identityCommands.register.request>;

/** The account about to be created, in canonical form: what a `register.validate` hook is shown. */
export interface Candidate {
  login: string;
  email: string;
  displayName: string;
}

/** An account to create: without a password, one nobody knows until the user sets theirs by mail. */
export type NewAccount = Omit<RegisterCommand, 'password'> & {
  password?: string;
  by?: ChangedBy;
  /** Queue a verification mail with the account (the `email_verification` setting is on). */
  verifyEmail?: boolean;
};

/**
 * Creates an account: policy, `vet` (if any), hash, then the event, reserved keys and credential
 * in one transaction.
 */
export async function createUser(
  app: Identity,
  cmd: NewAccount,
  roles: Role[],
  vet?: (candidate: Candidate) => Promise<void>,
  deadline?: number,
): Promise<UserView> {
  const { svc, config } = app;
  const login = newLogin(cmd.username);
  const email = canonicalEmail(cmd.email);
  const displayName = canonicalDisplayName(cmd.name ?? '') || login;
  const chosen = cmd.password !== undefined;
  const password = cmd.password ?? randomBytes(32).toString('base64url');
  if (chosen) app.policy.assertAcceptable(password, { username: login, email });
  await vet?.({ login, email, displayName });
  const passwordHash = await app.passwordWork.run(deadline, () => hashPassword(password, config.bcryptCost));
  const id = await nextUserId(svc.store.db);
  const at = new Date();
  const { state } = await handleCommand({
    store: svc.store,
    scope: svc.scope,
    streamId: userStream(id),
    decider: userDecider,
    command: { type: 'Register', id, login, email, displayName, roles, ...(cmd.by ? { by: cmd.by } : {}) },
    meta: metaFrom(cmd.context, id),
    project: async (tx, _events, next) => {
      if (next.status !== 'registered') return;
      await insertUser(tx, next, { passwordHash, chosen }, at);
      if (cmd.verifyEmail && email) await queueVerification(tx, login, metaFrom(cmd.context, id));
    },
  });
  if (state.status !== 'registered') throw new Error('registration left no active user');
  return toView(state);
}

/** `POST /register`: a new subscriber, logged in at once. */
export function registerHandler(app: Identity) {
  const { svc } = app;
  return async (cmd: RegisterCommand, { deadline, commandKey, step }: CommandMeta): Promise<RegisterReply> => {
    if (!svc.settings.current().registration) {
      throw new DomainError('headlesskey_registration_disabled');
    }
    // The account commits before its session is asked for: a retry after a failed issue (sent
    // with its key) gets the same account rather than "already in use".
    const user = await step('create', () =>
      createUser(
        app,
        { ...cmd, verifyEmail: verifiesEmail(app) },
        ['subscriber'],
        (candidate) => vetRegistration(app, candidate, cmd.context),
        deadline,
      ),
    );
    const issued = await svc.client.send(tokensCommands.issue, { user, context: cmd.context }, undefined, { commandKey });
    if (!issued.ok) throw new DomainError(issued.error.code, issued.error.message, issued.error.details);
    const { token, expiration, expires_in, jti } = issued.data;
    return { user_id: user.ID, user, token_response: { token, expiration, expires_in, jti } };
  };
}

/**
 * Asks the `register.validate` hook, once the account passed every rule of ours and before its
 * password is hashed. The hook sees the canonical names and the request context, never the password.
 */
async function vetRegistration(app: Identity, candidate: Candidate, context: RegisterCommand['context']): Promise<void> {
  const outcome = await app.svc.hooks.call(hooks.registerValidate, {
    username: candidate.login,
    email: candidate.email,
    display_name: candidate.displayName,
    context,
  });
  const refusal = refusalOf(outcome, 'Registration is not allowed.');
  if (refusal) throw refusal;
}

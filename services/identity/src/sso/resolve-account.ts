import { randomBytes } from 'node:crypto';
import type { identityCommands, UserView } from '@headlesskey/contracts';
import { DomainError, decideInTransaction, metaFrom, retryOnConflict, type Sql } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { hashPassword } from '../credential/passwords/hashing.js';
import type { Identity } from '../identity.js';
import { canonicalDisplayName, canonicalEmail } from '../user/canonical.js';
import { userDecider } from '../user/decider.js';
import { findById, insertUser, isDisabled, nextUserId, toView } from '../user/read-model.js';
import { userStream } from '../user/user.js';
import { loginCandidates, planAccount } from './account-rules.js';
import { emailOwner, firstFreeLogin, identifierTaken, insertLink, linkedUserId, lockRemoteUser, voidEarlierSite } from './links.js';

type ResolveCommand = Static<typeof identityCommands.resolveSsoAccount.request>;
type Resolved = Static<typeof identityCommands.resolveSsoAccount.reply>;

/** Tries for a new account's login when other provisionings take the candidates first. */
const MAX_ATTEMPTS = 3;

/**
 * `resolveSsoAccount`: the local account of (`site_key`, remote `sub`), linked or created in one
 * transaction under a lock on the remote user, so the first exchanges of one remote user, however
 * many race, end on one account. Asked again after a failure it finds the link it made.
 */
export function resolveSsoAccountHandler(app: Identity) {
  return async (cmd: ResolveCommand): Promise<Resolved> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await retryOnConflict(app.svc.store, (tx) => resolve(app, tx, cmd));
      } catch (err) {
        // Another account took the chosen login between the check and the insert: choose again.
        const lostRace = err instanceof DomainError && err.code === 'headlesskey_user_exists';
        if (!lostRace || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  };
}

async function resolve(app: Identity, tx: Sql, cmd: ResolveCommand): Promise<Resolved> {
  const key = { siteKey: cmd.site_key, remoteSub: cmd.remote_sub };
  await lockRemoteUser(tx, key);
  await voidEarlierSite(tx, cmd.site_key, cmd.site_id);
  const linked = await linkedUserId(tx, key);
  if (linked !== undefined) return { user: await existing(tx, linked), link: 'existing' };
  const email = cmd.email === undefined ? undefined : canonicalEmail(cmd.email);
  const plan = planAccount({
    email,
    emailOwner: email === undefined ? undefined : await emailOwner(tx, email, cmd.site_key),
    emailTaken: email === undefined ? false : await identifierTaken(tx, email),
    provision: cmd.provision,
    linkByEmail: cmd.link_by_email,
  });
  switch (plan.kind) {
    case 'refuse':
      throw new DomainError(plan.code, plan.message);
    case 'link':
      await insertLink(tx, { ...key, siteId: cmd.site_id, userId: plan.userId, how: 'email' });
      return { user: await existing(tx, plan.userId), link: 'email' };
    case 'provision': {
      const user = await provision(app, tx, cmd, email);
      await insertLink(tx, { ...key, siteId: cmd.site_id, userId: user.ID, how: 'provisioned' });
      return { user, link: 'provisioned' };
    }
    default:
      return assertNever(plan);
  }
}

/** The linked account; a disabled one is refused, as its login would be. */
async function existing(tx: Sql, userId: number): Promise<UserView> {
  const user = await findById(tx, userId);
  if (!user) throw new Error(`linked user ${userId} does not exist`);
  if (await isDisabled(tx, userId)) throw new DomainError('headlesskey_forbidden');
  return user;
}

/**
 * A new account for the remote user, registered as any other (its `user.registered` names the
 * site). It gets a credential nobody knows, so a password login costs the same as for anyone and
 * never succeeds until the user sets a password through a reset.
 */
async function provision(app: Identity, tx: Sql, cmd: ResolveCommand, email: string | undefined): Promise<UserView> {
  const candidates = loginCandidates(cmd.login, cmd.site_key, cmd.remote_sub, randomBytes(3).toString('hex'));
  const login = await firstFreeLogin(tx, candidates);
  if (!login) throw new DomainError('headlesskey_user_exists', 'No free login for the new account.');
  const passwordHash = await app.passwordWork.run(undefined, () =>
    hashPassword(randomBytes(32).toString('base64url'), app.config.bcryptCost),
  );
  const id = await nextUserId(tx);
  const at = new Date();
  const { state } = await decideInTransaction(tx, {
    scope: app.svc.scope,
    streamId: userStream(id),
    decider: userDecider,
    command: {
      type: 'Register',
      id,
      login,
      email: email ?? '',
      displayName: canonicalDisplayName(cmd.display_name ?? '') || login,
      roles: [cmd.default_role],
      ssoSite: cmd.site_key,
    },
    meta: metaFrom(cmd.context, id),
    project: async (tx, _events, next) => {
      if (next.status === 'registered') await insertUser(tx, next, { passwordHash, chosen: false }, at);
    },
  });
  if (state.status !== 'registered') throw new Error('provisioning left no active user');
  return toView(state);
}

function assertNever(value: never): never {
  throw new Error(`unhandled plan ${JSON.stringify(value)}`);
}

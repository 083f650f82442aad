import { hooks, type identityCommands, type LoginReply, tokensCommands, type UserView } from '@headlesskey/contracts';
import { appendAtEnd, type CommandMeta, DomainError, metaFrom, retryOnConflict } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import { verifyPassword } from '../credential/passwords/hashing.js';
import { upgradeWordPressHash } from '../credential/rehash.js';
import { refusalOf } from '../hooks/verdict.js';
import type { Identity } from '../identity.js';
import { findByIdentifier, type UserWithCredential } from '../user/read-model.js';
import { isKnownDevice, rememberDevice } from './known-devices.js';
import { openGate, type Pass, settleNow } from './lockout/gate.js';
import { signInStream, signInThrottles } from './lockout/throttles.js';

type LoginCommand = Static<typeof identityCommands.login.request>;

/**
 * `POST /token`: counts the attempt against the client IP and the account (or typed name) first —
 * a locked one is refused before any password is checked, even the right one — then checks the
 * password (an unknown user against a decoy hash, so both cost one bcrypt), settles the count with
 * its event, and asks the tokens service for a session. A presented device secret of the account
 * lets the attempt past the account-wide lock (`signInThrottles`); a success answers the device's
 * secret for its next logins. A right password is then put to the `login.allow` hook: its veto
 * refuses the login, recorded as a failed login that is no failed guess (the password was right),
 * so it counts towards no lockout; its failing closed, or the tokens service not answering, is an
 * outage (503) that records no failed login either. A login succeeded only once its session was
 * issued: `auth.login.succeeded` is recorded after the tokens service answered with the token, so
 * no success is logged or sent to webhooks for a login that ended without one. Counting and
 * checking wait together for a bcrypt slot: a login refused there for load
 * (`headlesskey_unavailable`) was never counted, so a burst locks no one out.
 */
export function loginHandler(app: Identity) {
  const { svc } = app;
  return async (cmd: LoginCommand, { deadline, commandKey }: CommandMeta): Promise<LoginReply> => {
    const found = await findByIdentifier(svc.store.db, cmd.username);
    const settings = svc.settings.current();
    const userId = found?.user.ID;
    const knownDevice = await isKnownDevice(svc.store.db, userId, cmd.device_secret);
    const throttles = signInThrottles(settings, cmd.context.ip, { userId, typed: cmd.username, knownDevice });
    const { pass, matched } = await app.passwordWork.run(deadline, async () => {
      const pass = await openGate(svc.store, throttles);
      return { pass, matched: await verifyPassword(cmd.password, found?.passwordHash ?? app.decoyHash) };
    });
    const user = await settleLogin(app, cmd, pass, matched ? found : undefined, userId);
    // A hash imported from WordPress that proved the password is replaced by ours before the session opens.
    if (found) await upgradeWordPressHash(app, user.ID, found.passwordHash, cmd.password, cmd.context);
    const issued = await svc.client.send(tokensCommands.issue, { user, context: cmd.context }, undefined, { commandKey });
    if (!issued.ok) throw new DomainError(issued.error.code, issued.error.message, issued.error.details);
    await recordSuccess(app, cmd, user);
    const deviceSecret = await rememberDevice(svc.store.db, user.ID, knownDevice ? cmd.device_secret : undefined);
    return { ...issued.data, user, device_secret: deviceSecret };
  };
}

/**
 * Records the checked attempt: a wrong password is a failure (and throws), a right one goes to
 * the `login.allow` hook, whose refusal is recorded and thrown; the user when the login may go on.
 */
async function settleLogin(
  app: Identity,
  cmd: LoginCommand,
  pass: Pass,
  matched: UserWithCredential | undefined,
  userId: number | undefined,
): Promise<UserView> {
  const { svc } = app;
  const ctx = { scope: svc.scope, meta: metaFrom(cmd.context, userId) };
  const stream = signInStream(userId, cmd.username);
  // A disabled account is answered as a wrong password is, and counted as one: the answer tells
  // nobody that the password was right or that the account exists.
  if (!matched || matched.disabled) {
    const reason = matched ? 'disabled' : 'invalid_credentials';
    const failed = { type: 'auth.login.failed' as const, data: { user_id: userId ?? null, reason } };
    await settleNow(svc.store, ctx, pass, 'failure', [{ stream, events: [failed] }]);
    throw new DomainError('headlesskey_invalid_credentials');
  }
  const { user } = matched;
  // The right password, but an address never proven while the setting requires it: refused, and
  // recorded as no failed guess (the password was right), so it counts toward no lockout.
  if (!matched.emailVerified && svc.settings.current().email_verification === 'required') {
    const refused = { type: 'auth.login.failed' as const, data: { user_id: user.ID, reason: 'email_unverified' as const } };
    await settleNow(svc.store, ctx, pass, 'success', [{ stream, events: [refused] }]);
    throw new DomainError('headlesskey_email_unverified');
  }
  const refusal = refusalOf(await svc.hooks.call(hooks.loginAllow, { user, context: cmd.context }), 'Login is not allowed.');
  if (refusal && refusal.code !== 'headlesskey_unavailable') {
    const refused = { type: 'auth.login.failed' as const, data: { user_id: user.ID, reason: 'vetoed' as const } };
    await settleNow(svc.store, ctx, pass, 'success', [{ stream, events: [refused] }]);
    throw refusal;
  }
  // The right password settles the attempt. A hook that could not be heard (failing closed) is an
  // outage, not the user's doing: no failed login is recorded for it.
  await settleNow(svc.store, ctx, pass, 'success');
  if (refusal) throw refusal;
  return user;
}

/** The success of a login whose session was issued. */
async function recordSuccess(app: Identity, cmd: LoginCommand, user: UserView): Promise<void> {
  const { svc } = app;
  const succeeded = { type: 'auth.login.succeeded' as const, data: { user_id: user.ID, user_login: user.user_login } };
  const stream = signInStream(user.ID, cmd.username);
  await retryOnConflict(svc.store, async (tx) => {
    await appendAtEnd(tx, svc.scope, stream, [succeeded], metaFrom(cmd.context, user.ID));
    await tx.execute('update users set last_login_at = now() where id = ?', [user.ID]);
  });
}

import { identityCommands, type ssoCommands, type TokenReply } from '@headlesskey/contracts';
import { DomainError, type Logger, retryOnConflict, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
import type { TokensConfig } from '../config.js';
import type { Keyring } from '../keys/keyring.js';
import { answerToken } from '../session/answer.js';
import { hookClaims } from '../session/hook-claims.js';
import { openSession } from '../session/issue.js';
import { appendExchanged, recordRejected } from './events.js';
import { type RemoteKeys, verifyRemoteToken } from './remote-token.js';
import { claimJti, jtiUsed } from './replay.js';
import { checkExchangeRequest, isRefused, type Refused, type RemoteUser, remoteUserOf } from './rules.js';
import type { SiteRow } from './site.js';
import { findSite } from './site-store.js';

type ExchangeCommand = Static<typeof ssoCommands.exchange.request>;

export interface ExchangeDeps {
  svc: WritingService;
  config: TokensConfig;
  keyring: Keyring;
  keys: RemoteKeys;
  logger: Logger;
}

const refusal = (r: Refused) => new DomainError(r.refused, undefined, { reason: r.reason });
const replayed = () => new DomainError('headlesskey_sso_replay', undefined, { reason: 'token already exchanged' });

/**
 * `POST /sso/exchange`: a connected site's token for a local session. The site, its signature
 * (and timestamp), then the token under the site's own key; then the local account is found (or
 * made, by identity) and the `token.claims` hook asked, with no transaction open while they work;
 * then, in one transaction, the remote `jti` is taken and the session opened, so the token is
 * used exactly when a session comes of it. Every refusal is recorded as `sso.rejected`.
 */
export function exchangeHandler(deps: ExchangeDeps) {
  return async (cmd: ExchangeCommand): Promise<TokenReply> => {
    const seen: { remoteSub: string | null } = { remoteSub: null };
    try {
      return await exchange(deps, cmd, seen);
    } catch (err) {
      if (err instanceof DomainError) await rejected(deps, cmd, err, seen.remoteSub);
      throw err;
    }
  };
}

async function exchange(deps: ExchangeDeps, cmd: ExchangeCommand, seen: { remoteSub: string | null }): Promise<TokenReply> {
  const { svc, config, keyring } = deps;
  const now = Math.floor(Date.now() / 1000);
  const site = await findSite(svc.store.db, cmd.site_key);
  if (!site) throw new DomainError('headlesskey_sso_unknown_site', undefined, { reason: 'unknown site' });
  const refused = checkExchangeRequest({ secret: site.secret, token: cmd.token, signature: cmd.signature, timestamp: cmd.timestamp, now });
  if (refused) throw refusal(refused);
  const verified = await verifyRemoteToken(cmd.token, site, deps.keys);
  if (!verified.ok) throw refusal(verified);
  const remote = remoteUserOf(verified.claims);
  if (isRefused(remote)) throw refusal(remote);
  seen.remoteSub = remote.sub;
  const settings = svc.settings.current();
  // A token seen before goes no further; the claim in the transaction below is what decides.
  if (await jtiUsed(svc.store.db, site.site_key, remote.jti)) throw replayed();
  // Identity links or provisions under its own lock, and finds the same account when asked again:
  // a racing copy of this token costs at most a second answer, never a second account.
  const account = await resolveAccount(svc, site, remote, cmd);
  // As a login's: asked before the session opens, so a hook that fails closed leaves none.
  const extra = await hookClaims(svc, 'login', account.user, cmd.context);
  const { user, link } = account;
  const session = await retryOnConflict(svc.store, async (tx) => {
    if (!(await claimJti(tx, site.site_key, remote.jti, remote.expiresAt))) throw replayed();
    const opened = await openSession(svc, tx, { user, context: cmd.context, settings, now });
    const data = {
      site_key: site.site_key,
      remote_sub: remote.sub,
      remote_jti: remote.jti,
      user_id: user.ID,
      session_id: opened.sessionId,
      jti: opened.current.jti,
      link,
    };
    await appendExchanged(svc, tx, data, cmd.context);
    return opened;
  });
  deps.logger.debug({ site_key: site.site_key, user_id: user.ID, link }, 'sso exchange');
  return { ...(await answerToken(keyring, config, settings, user, session, now, extra)), user };
}

/** Asks identity for the local account of the remote user, with what the site allows. */
async function resolveAccount(svc: WritingService, site: SiteRow, remote: RemoteUser, cmd: ExchangeCommand) {
  const answer = await svc.client.send(identityCommands.resolveSsoAccount, {
    site_key: site.site_key,
    site_id: site.id,
    remote_sub: remote.sub,
    ...(remote.email ? { email: remote.email } : {}),
    ...(remote.login ? { login: remote.login } : {}),
    ...(remote.displayName ? { display_name: remote.displayName } : {}),
    provision: site.provision_users,
    link_by_email: site.link_by_email,
    default_role: site.default_role,
    context: cmd.context,
  });
  if (!answer.ok) throw new DomainError(answer.error.code, answer.error.message, answer.error.details);
  return answer.data;
}

/** The refusal as an event; failing to record it never hides the refusal itself. */
async function rejected(deps: ExchangeDeps, cmd: ExchangeCommand, err: DomainError, remoteSub: string | null): Promise<void> {
  const data = { site_key: cmd.site_key.slice(0, 128), reason: err.code, remote_sub: remoteSub };
  await recordRejected(deps.svc, data, cmd.context).catch((cause) => deps.logger.warn({ err: cause }, 'recording sso.rejected failed'));
}

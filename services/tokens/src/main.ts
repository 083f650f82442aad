import { ssoCommands, tokensCommands } from '@headlesskey/contracts';
import { openWritingService, runEventConsumer, runService, startBackgroundLoop } from '@headlesskey/platform';
import { readTokensConfig } from './config.js';
import { importKeyHandler, listKeysHandler } from './keys/admin-handlers.js';
import { jwksHandler, rotateKeyHandler } from './keys/handlers.js';
import { Keyring } from './keys/keyring.js';
import { tokensMigrations } from './schema/migrations.js';
import { issueHandler } from './session/issue.js';
import { countRefreshes } from './session/metrics.js';
import { passwordBackstop } from './session/password-backstop.js';
import { isReuse, refreshHandler, refreshManyHandler, refreshSessions } from './session/refresh.js';
import { revokeHandler } from './session/revoke.js';
import { sessionStatsHandler } from './session/stats.js';
import { endSessionHandler, endUserSessionsHandler, listSessionsHandler } from './session/user-sessions.js';
import { validateHandler, validateManyHandler, validateTokens } from './session/validate.js';
import { exchangeHandler } from './sso/exchange.js';
import { RemoteKeys } from './sso/remote-token.js';
import { sweepUsedJtis } from './sso/replay.js';
import { siteHandlers } from './sso/site-handlers.js';
import { eraseUserHandler } from './users/erase.js';
import { syncUserHandler, userActivityHandler } from './users/handlers.js';
import { usersProjector } from './users/projection.js';

const SWEEP_MS = 3600_000;

await runService('tokens', async (rt) => {
  const { nc, config: common, logger } = rt;
  const config = readTokensConfig();
  const svc = await openWritingService(rt, 'tokens', { migrations: tokensMigrations, poolSize: 16 });
  const keyring = await Keyring.open(svc.store, config.configuredKeys, () => nc.publish(common.names.keysChanged));
  // A replica generated or rotated a key: verify it, and sign with the newest, at once.
  const keyChanges = nc.subscribe(common.names.keysChanged, {
    callback: () => void keyring.reload().catch((err) => logger.warn({ err }, 'key reload failed')),
  });
  await keyring.signingKey(svc.settings.current().algorithm);
  const validate = validateTokens(svc, config, keyring, logger);
  const refresh = countRefreshes(refreshSessions(svc, config, keyring), isReuse);
  const remoteKeys = new RemoteKeys(config.outbound);
  if (config.outbound.allowPrivate)
    logger.warn('HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE is on: site JWKS may be fetched from internal addresses (development only)');
  const sites = siteHandlers(svc.store, remoteKeys);
  svc.server
    .on(tokensCommands.issue, issueHandler(svc, config, keyring))
    .on(tokensCommands.validate, validateHandler(validate))
    .on(tokensCommands.validateMany, validateManyHandler(validate))
    .on(tokensCommands.refresh, refreshHandler(refresh))
    .on(tokensCommands.refreshMany, refreshManyHandler(refresh))
    .on(tokensCommands.revoke, revokeHandler(svc, config, keyring))
    .on(tokensCommands.listSessions, listSessionsHandler(svc))
    .on(tokensCommands.sessionStats, sessionStatsHandler(svc))
    .on(tokensCommands.endSession, endSessionHandler(svc))
    .on(tokensCommands.endUserSessions, endUserSessionsHandler(svc))
    .on(tokensCommands.syncUser, syncUserHandler(svc))
    .on(tokensCommands.userActivity, userActivityHandler(svc))
    .on(tokensCommands.eraseUser, eraseUserHandler(svc))
    .on(tokensCommands.jwks, jwksHandler(keyring))
    .on(tokensCommands.rotateKey, rotateKeyHandler(svc, keyring))
    .on(tokensCommands.listKeys, listKeysHandler(svc, keyring))
    .on(tokensCommands.importKey, importKeyHandler(svc, keyring))
    .on(ssoCommands.createSite, sites.create)
    .on(ssoCommands.listSites, sites.list)
    .on(ssoCommands.getSite, sites.get)
    .on(ssoCommands.updateSite, sites.update)
    .on(ssoCommands.deleteSite, sites.remove)
    .on(ssoCommands.rotateSiteSecret, sites.rotateSecret)
    .on(ssoCommands.exchange, exchangeHandler({ svc, config, keyring, keys: remoteKeys, logger }));
  svc.server.listen();
  const sweep = startBackgroundLoop({
    name: 'sweeping exchanged SSO token ids',
    logger,
    intervalMs: SWEEP_MS,
    startIdle: true,
    step: () => sweepUsedJtis(svc.store.db),
  });
  const backstop = await runEventConsumer({
    nc,
    names: common.names,
    durable: common.names.consumer('tokens'),
    handle: passwordBackstop(svc),
    // password.changed and password.reset: no other event ends a session.
    filterSubject: common.names.event('identity', 'password.>'),
    logger,
  });
  const users = await runEventConsumer({
    nc,
    names: common.names,
    durable: common.names.consumer('tokens', 'users'),
    handleBatch: usersProjector(svc),
    filterSubject: common.names.event('identity', 'user.>'),
    logger,
  });
  return {
    async close() {
      await sweep.stop();
      keyChanges.unsubscribe();
      await backstop.stop();
      await users.stop();
      await svc.close();
    },
  };
});

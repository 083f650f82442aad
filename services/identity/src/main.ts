import { identityCommands } from '@headlesskey/contracts';
import { type Logger, openSettingsBucket, openWritingService, runService, startBackgroundLoop } from '@headlesskey/platform';
import { type IdentityConfig, readIdentityConfig } from './config.js';
import { changePasswordHandler } from './credential/change-password.js';
import { PasswordWork } from './credential/passwords/admission.js';
import { loadCommonPasswords } from './credential/passwords/blocklist.js';
import { passwordPolicy } from './credential/passwords/enforce.js';
import { decoyHash } from './credential/passwords/hashing.js';
import { DelayedPasswordWork } from './credential/passwords/test-only-delay.js';
import { forgotPasswordHandler } from './credential/reset/forgot.js';
import { startMailWorker } from './credential/reset/mail-worker.js';
import { loadResetPepper } from './credential/reset/pepper.js';
import { resetPasswordHandler } from './credential/reset/reset-password.js';
import type { Identity } from './identity.js';
import { smtpMailer } from './mail/mailer.js';
import { identityMigrations } from './schema/migrations.js';
import { syncSettingsBucket } from './settings/bucket-sync.js';
import { changeSettingsHandler, getSettingsHandler } from './settings/handlers.js';
import { sweepKnownDevices } from './sign-in/known-devices.js';
import { sweepCounters } from './sign-in/lockout/store.js';
import { unlockUserHandler } from './sign-in/lockout/unlock.js';
import { loginHandler } from './sign-in/login.js';
import { countLogins } from './sign-in/metrics.js';
import { resolveSsoAccountHandler } from './sso/resolve-account.js';
import { createUserHandler } from './user/administration/create.js';
import { deleteUserHandler } from './user/administration/delete.js';
import { getManagedUserHandler, listUsersHandler } from './user/administration/directory.js';
import { updateUserHandler } from './user/administration/update.js';
import { bootstrapAdministrator } from './user/bootstrap-admin.js';
import { resendVerificationHandler } from './user/email-verification/request.js';
import { verifyEmailHandler } from './user/email-verification/verify.js';
import { getUserHandler, getUsersHandler } from './user/get-user.js';
import { importUsersHandler } from './user/import/handler.js';
import { registerHandler } from './user/register.js';

const SWEEP_MS = 3600_000;

function passwordWork({ passwordSlots, testOnlyBcryptDelayFile }: IdentityConfig, logger: Logger): PasswordWork {
  if (testOnlyBcryptDelayFile === undefined) return new PasswordWork(passwordSlots);
  logger.warn(
    { file: testOnlyBcryptDelayFile },
    'HEADLESSKEY_TEST_ONLY_BCRYPT_DELAY_FILE is set: password checks wait as that file says (tests only)',
  );
  return new DelayedPasswordWork(passwordSlots, testOnlyBcryptDelayFile);
}

await runService('identity', async (rt) => {
  const config = readIdentityConfig();
  const common = loadCommonPasswords(config.blocklistSize);
  const svc = await openWritingService(rt, 'identity', { migrations: identityMigrations });
  const app: Identity = {
    svc,
    config,
    policy: passwordPolicy(svc.settings, config.siteName, common),
    decoyHash: await decoyHash(config.bcryptCost),
    pepper: await loadResetPepper(svc.store.db, config.resetPepper, rt.logger),
    passwordWork: passwordWork(config, rt.logger),
  };
  const bucket = await openSettingsBucket(rt.nc, rt.config);
  // A change committed by a replica that died before writing the bucket is written now.
  await syncSettingsBucket(svc.store, bucket);
  const mailer = config.mail.smtpUrl ? smtpMailer(config.mail.smtpUrl, config.mail.from) : undefined;
  if (!mailer) rt.logger.warn('HEADLESSKEY_SMTP_URL is not set: password reset mails and security notices will not be sent');
  const worker = startMailWorker({ app, mailer, logger: rt.logger });
  const sweep = startBackgroundLoop({
    name: 'sweep',
    logger: rt.logger,
    intervalMs: SWEEP_MS,
    startIdle: true,
    step: async () => {
      await Promise.all([
        sweepCounters(svc.store.db).catch((err) => rt.logger.warn({ err }, 'sweeping attempt counters failed')),
        sweepKnownDevices(svc.store.db).catch((err) => rt.logger.warn({ err }, 'sweeping known devices failed')),
      ]);
    },
  });
  svc.server
    .on(identityCommands.register, registerHandler(app))
    .on(identityCommands.login, countLogins(loginHandler(app)))
    .on(identityCommands.getUser, getUserHandler(svc))
    .on(identityCommands.getUsers, getUsersHandler(svc))
    .on(identityCommands.listUsers, listUsersHandler(svc))
    .on(identityCommands.getManagedUser, getManagedUserHandler(svc))
    .on(identityCommands.createUser, createUserHandler(app, worker.wake))
    .on(identityCommands.updateUser, updateUserHandler(app))
    .on(identityCommands.deleteUser, deleteUserHandler(app))
    .on(identityCommands.importUsers, importUsersHandler(app))
    .on(identityCommands.resendVerification, resendVerificationHandler(app, worker.wake))
    .on(identityCommands.verifyEmail, verifyEmailHandler(app))
    .on(identityCommands.forgotPassword, forgotPasswordHandler(app, worker.wake))
    .on(identityCommands.resetPassword, resetPasswordHandler(app, worker.wake))
    .on(identityCommands.changePassword, changePasswordHandler(app, worker.wake))
    .on(identityCommands.unlockUser, unlockUserHandler(app))
    .on(identityCommands.resolveSsoAccount, resolveSsoAccountHandler(app))
    .on(identityCommands.getSettings, getSettingsHandler(app))
    .on(identityCommands.changeSettings, changeSettingsHandler(app, bucket));
  // Before listening: once identity answers (and so /readyz), the configured administrator exists.
  await bootstrapAdministrator(app, rt.logger);
  svc.server.listen();
  return {
    async close() {
      await sweep.stop();
      // A job cut short here is leased, not lost: it comes due again for any replica.
      await worker.stop();
      mailer?.close();
      await svc.close();
    },
  };
});

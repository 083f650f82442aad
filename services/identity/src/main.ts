import { identityCommands } from '@headlesskey/contracts';
import { openWritingService, runService } from '@headlesskey/platform';
import { bootstrapAdministrator } from './admin/bootstrap.js';
import { readIdentityConfig } from './config.js';
import { loginHandler } from './login/login.js';
import { decoyHash } from './passwords/hashing.js';
import { identityMigrations } from './schema/migrations.js';
import { getUserHandler } from './user/get-user.js';
import { registerHandler } from './user/register.js';

await runService('identity', async (rt) => {
  const config = readIdentityConfig();
  const svc = await openWritingService(rt, 'identity', { migrations: identityMigrations });
  const decoy = await decoyHash(config.bcryptCost);
  svc.server
    .on(identityCommands.register, registerHandler(svc, config))
    .on(identityCommands.login, loginHandler(svc, decoy))
    .on(identityCommands.getUser, getUserHandler(svc));
  svc.server.listen();
  await bootstrapAdministrator(svc, config, rt.logger);
  return svc;
});

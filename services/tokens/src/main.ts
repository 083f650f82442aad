import { tokensCommands } from '@headlesskey/contracts';
import { openWritingService, runService } from '@headlesskey/platform';
import { readTokensConfig } from './config.js';
import { loadKeyring } from './keys/keyring.js';
import { tokensMigrations } from './schema/migrations.js';
import { issueHandler } from './session/issue.js';
import { validateHandler } from './session/validate.js';

await runService('tokens', async (rt) => {
  const config = readTokensConfig();
  const svc = await openWritingService(rt, 'tokens', { migrations: tokensMigrations, poolSize: 16 });
  const keyring = await loadKeyring(svc.store, config);
  svc.server
    .on(tokensCommands.issue, issueHandler(svc, config, keyring))
    .on(tokensCommands.validate, validateHandler(svc, config, keyring));
  svc.server.listen();
  return svc;
});

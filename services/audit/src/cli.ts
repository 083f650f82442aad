import { connectBus, createLogger, readCommonConfig, watchSettings } from '@headlesskey/platform';
import { rebuildActivityLog } from './activity-log/rebuild.js';
import { openAuditStore } from './activity-log/store.js';

/**
 * `node services/audit/dist/cli.js rebuild` (or `npm run rebuild -w @headlesskey/audit`): rebuilds
 * the activity log of the instance named by the environment (`HEADLESSKEY_INSTANCE`, `NATS_URL`,
 * `DATABASE_URL`) from its event stream, while the services keep running. Prints one JSON line.
 */
const USAGE = 'usage: cli.js rebuild';

const [command, ...rest] = process.argv.slice(2);
if (command !== 'rebuild' || rest.length > 0) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

const config = readCommonConfig();
const logger = createLogger('audit-cli', config.logLevel);
const nc = await connectBus(config.natsUrl, 'headlesskey-audit-cli', logger);
const store = await openAuditStore(config, logger, 2);
const settings = await watchSettings(nc, config, logger);
let code = 0;
try {
  const result = await rebuildActivityLog({
    store,
    nc,
    names: config.names,
    logger,
    retentionDays: settings.current().log_retention_days,
  });
  process.stdout.write(`${JSON.stringify({ rebuilt: result })}\n`);
} catch (err) {
  process.stderr.write(`rebuild failed: ${err instanceof Error ? err.message : String(err)}\n`);
  code = 1;
} finally {
  await settings.stop();
  await store.close();
  await nc.drain();
}
process.exit(code);

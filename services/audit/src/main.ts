import { auditCommands, ping } from '@headlesskey/contracts';
import { createCommandServer, ensureEventStream, runEventConsumer, runService, watchSettings } from '@headlesskey/platform';
import { activityProjector } from './activity-log/projector.js';
import { startRetention } from './activity-log/retention.js';
import { openAuditStore } from './activity-log/store.js';
import { readAuditConfig } from './config.js';
import { logStatsHandler } from './queries/log-stats.js';
import { queryLogsHandler } from './queries/query-logs.js';

await runService('audit', async ({ config, nc, logger }) => {
  const audit = readAuditConfig();
  const store = await openAuditStore(config, logger);
  await ensureEventStream(nc, config.names, config.streamReplicas);
  const settings = await watchSettings(nc, config, logger);
  const retentionDays = () => settings.current().log_retention_days;
  const consumer = await runEventConsumer({
    nc,
    names: config.names,
    durable: config.names.consumer('audit'),
    handleBatch: activityProjector(store, retentionDays),
    // No linger: a batch is what arrived while the one before it was written, so a busy stream's
    // events still share a transaction and a quiet one's are written at once.
    logger,
  });
  const retention = startRetention({ store, retentionDays, intervalMs: audit.purgeIntervalMs, logger });
  const server = createCommandServer(nc, config.names, 'audit', logger)
    .on(ping('audit'), async () => {
      await store.db.execute('select 1');
      return { service: 'audit', store: true };
    })
    .on(auditCommands.queryLogs, queryLogsHandler(store))
    .on(auditCommands.logStats, logStatsHandler(store));
  server.listen();
  return {
    async close() {
      await server.close();
      await consumer.stop();
      await retention.stop();
      await settings.stop();
      await store.close();
    },
  };
});

import { ping } from '@headlesskey/contracts';
import { createCommandServer, ensureEventStream, openStore, runEventConsumer, runService } from '@headlesskey/platform';
import { auditMigrations } from './activity-log/migrations.js';
import { activityProjector } from './activity-log/projector.js';

await runService('audit', async ({ config, nc, logger }) => {
  const store = await openStore({
    serverUrl: config.databaseUrl,
    database: config.names.database('audit'),
    entities: [],
    migrations: auditMigrations,
    logger,
  });
  await ensureEventStream(nc, config.names);
  const consumer = await runEventConsumer({
    nc,
    names: config.names,
    durable: config.names.consumer('audit'),
    handle: activityProjector(store),
    logger,
  });
  const server = createCommandServer(nc, config.names, 'audit', logger).on(ping('audit'), async () => {
    await store.em.getConnection().execute('select 1');
    return { service: 'audit', store: true };
  });
  server.listen();
  return {
    async close() {
      await server.close();
      await consumer.stop();
      await store.close();
    },
  };
});

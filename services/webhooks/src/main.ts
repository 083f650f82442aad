import { ping } from '@headlesskey/contracts';
import { ack, createCommandServer, ensureEventStream, runEventConsumer, runService } from '@headlesskey/platform';

/**
 * The webhook dispatcher's consumer position. Until endpoints can be registered there is nothing
 * to deliver, so each event is acknowledged as seen.
 */
await runService('webhooks', async ({ config, nc, logger }) => {
  await ensureEventStream(nc, config.names);
  const consumer = await runEventConsumer({
    nc,
    names: config.names,
    durable: config.names.consumer('webhooks'),
    handle: async () => ack,
    logger,
  });
  const server = createCommandServer(nc, config.names, 'webhooks', logger).on(ping('webhooks'), async () => ({ service: 'webhooks' }));
  server.listen();
  return {
    async close() {
      await server.close();
      await consumer.stop();
    },
  };
});

import { webhooksCommands as cmd } from '@headlesskey/contracts';
import {
  encodeJson,
  ensureEventStream,
  openStore,
  processLiveness,
  runEventConsumer,
  runService,
  storeCommandServer,
} from '@headlesskey/platform';
import { readWebhooksConfig } from './config.js';
import { deliveryEnqueuer } from './deliveries/enqueue.js';
import { webhookStatsHandler } from './deliveries/health.js';
import { deliveryLogHandlers } from './deliveries/log.js';
import { observeQueueDepth } from './deliveries/metrics.js';
import { testEventSender } from './deliveries/test-event.js';
import { startDeliveryWorker } from './deliveries/worker.js';
import { endpointHandlers } from './endpoints/handlers.js';
import { webhooksMigrations } from './schema/migrations.js';

/**
 * The webhook dispatcher: consumes every event into durable delivery rows (acked once they
 * commit), attempts them with signed POSTs from a worker that claims due rows, and answers the
 * admin API of endpoints and deliveries.
 */
await runService('webhooks', async (runtime) => {
  const { config, nc, logger } = runtime;
  const hooks = readWebhooksConfig();
  if (hooks.allowPrivate) logger.warn('HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE is on: webhooks may reach internal addresses (development only)');
  const store = await openStore({
    serverUrl: config.databaseUrl,
    database: config.names.database('webhooks'),
    entities: [],
    migrations: webhooksMigrations,
    logger,
  });
  await ensureEventStream(nc, config.names, config.streamReplicas);
  const deadLetters = config.names.deadLetter(`${config.names.consumer('webhooks')}_deliveries`);
  // Answers for this process before it takes any lease or command.
  const liveness = processLiveness(nc, config.names, 'webhooks');
  const worker = startDeliveryWorker({
    store,
    config: hooks,
    logger,
    liveness,
    onDead: (delivery, error) => {
      logger.warn({ delivery: delivery.id, endpoint: delivery.endpointId, error }, 'webhook delivery dead-lettered');
      nc.publish(
        deadLetters,
        encodeJson({
          delivery_id: delivery.id,
          endpoint_id: delivery.endpointId,
          event_id: delivery.eventId,
          event_type: delivery.eventType,
          error,
        }),
      );
    },
  });
  const consumer = await runEventConsumer({
    nc,
    names: config.names,
    durable: config.names.consumer('webhooks'),
    handleBatch: deliveryEnqueuer(store, worker.wake),
    // No linger: a batch is what arrived while the one before it was written, so a busy stream's
    // events still share a transaction and a quiet one's are written at once.
    logger,
  });
  const unobserve = observeQueueDepth(store);
  const endpoints = endpointHandlers(store, hooks);
  const log = deliveryLogHandlers(store, worker.wake);
  // Writes sent with an `Idempotency-Key` run once: a retry gets the recorded reply.
  const server = storeCommandServer(runtime, 'webhooks', store, liveness)
    .on(cmd.createWebhook, endpoints.create)
    .on(cmd.listWebhooks, endpoints.list)
    .on(cmd.getWebhook, endpoints.get)
    .on(cmd.updateWebhook, endpoints.update)
    .on(cmd.deleteWebhook, endpoints.remove)
    .on(cmd.rotateWebhookSecret, endpoints.rotate)
    .on(cmd.listDeliveries, log.list)
    .on(cmd.webhookStats, webhookStatsHandler(store))
    .on(cmd.redeliver, log.redeliver)
    .on(cmd.sendTestEvent, testEventSender(store, worker.wake));
  server.listen();
  return {
    async close() {
      await server.close();
      await consumer.stop();
      await worker.stop();
      unobserve();
      await store.close();
    },
  };
});

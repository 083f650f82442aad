import { createCommandClient, openAnswerStore, openRateLimiter, processLiveness, runService, watchSettings } from '@headlesskey/platform';
import { buildApp } from './app.js';
import { readGatewayConfig } from './config.js';

await runService('gateway', async ({ config, logger, nc }) => {
  const gateway = readGatewayConfig();
  const bus = createCommandClient(nc, config.names, gateway.commandTimeoutMs);
  const settings = await watchSettings(nc, config, logger);
  const limiter = await openRateLimiter(nc, config);
  // Names this gateway on the keys it holds, so another takes them over at once should it be killed.
  const answers = await openAnswerStore(nc, config, processLiveness(nc, config.names, 'gateway'));
  const app = buildApp({ config: gateway, bus, settings, limiter, answers, logger });
  await app.listen({ port: gateway.port, host: gateway.host });
  logger.info({ url: `http://${gateway.host}:${gateway.port}/wp-json/${gateway.namespace}/${gateway.version}` }, 'gateway listening');
  // Fastify's close stops taking connections and lets requests in flight finish.
  return {
    async close() {
      await app.close();
      await settings.stop();
    },
  };
});

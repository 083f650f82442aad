import { type CommandService, ping } from '@headlesskey/contracts';
import type { CommandClient } from '@headlesskey/platform';
import type { FastifyPluginCallback } from 'fastify';
import { sendError } from '../plugins/errors.js';

const SERVICES: readonly CommandService[] = ['identity', 'tokens', 'audit', 'webhooks'];
const PINGS = SERVICES.map((service) => ping(service));
/** Short: a probe that waits out the command timeout would stall the orchestrator's checks. */
const READY_TIMEOUT_MS = 1000;

type ServiceState = 'ok' | 'unavailable' | 'store_unreachable' | 'error';

/** Liveness (the process answers) and readiness (every service answers over the bus, stores too). */
export function healthRoutes(bus: CommandClient): FastifyPluginCallback {
  return function health(scope, _options, done) {
    scope.get('/healthz', async () => ({ status: 'ok' }));
    scope.get('/readyz', async (_request, reply) => {
      const services = await readiness(bus);
      const failed = SERVICES.filter((service) => services[service] !== 'ok');
      if (failed.length > 0) {
        return sendError(reply, { code: 'headlesskey_unavailable', message: 'Not ready.', details: { services, failed } });
      }
      return { status: 'ready', services };
    });
    done();
  };
}

async function readiness(bus: CommandClient): Promise<Record<string, ServiceState>> {
  const states = await Promise.all(PINGS.map((def) => bus.send(def, {}, READY_TIMEOUT_MS).then(stateOf, () => 'error' as const)));
  return Object.fromEntries(states.map((state, i) => [SERVICES[i], state]));
}

function stateOf(reply: Awaited<ReturnType<CommandClient['send']>>): ServiceState {
  if (!reply.ok) return reply.error.code === 'headlesskey_unavailable' ? 'unavailable' : 'error';
  const data = reply.data as { store?: boolean };
  return data.store === false ? 'store_unreachable' : 'ok';
}

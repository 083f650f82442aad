import { type CommandService, ping } from '@headlesskey/contracts';
import type { CommandClient } from '@headlesskey/platform';
import type { FastifyPluginCallback } from 'fastify';
import { ANY_ERROR, errorResponse, RETRY_AFTER } from '../openapi/operation.js';
import { sendError } from '../plugins/errors.js';

const SERVICES: readonly CommandService[] = ['identity', 'tokens', 'audit', 'webhooks'];
const PINGS = SERVICES.map((service) => ping(service));
/** Short: a probe that waits out the command timeout would stall the orchestrator's checks. */
const READY_TIMEOUT_MS = 1000;

type ServiceState = 'ok' | 'unavailable' | 'store_unreachable' | 'error';

/** Liveness (the process answers) and readiness (every service answers over the bus, stores too). */
export function healthRoutes(bus: CommandClient): FastifyPluginCallback {
  return function health(scope, _options, done) {
    scope.get('/healthz', { config: { openapi: LIVENESS } }, async () => ({ status: 'ok' }));
    scope.get('/readyz', { config: { openapi: READINESS } }, async (_request, reply) => {
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

const LIVENESS = {
  summary: 'Liveness: the gateway process answers',
  tags: ['health'],
  security: [],
  response: { 200: { description: 'Alive.', type: 'object', properties: { status: { const: 'ok' } } }, default: ANY_ERROR },
};

const READINESS = {
  summary: 'Readiness: every service answers over the bus, with its store reachable',
  tags: ['health'],
  security: [],
  response: {
    200: {
      description: 'Ready.',
      type: 'object',
      properties: { status: { const: 'ready' }, services: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    503: errorResponse('Not ready; `data.failed` names the services that are not.', RETRY_AFTER),
    default: ANY_ERROR,
  },
};

async function readiness(bus: CommandClient): Promise<Record<string, ServiceState>> {
  const states = await Promise.all(PINGS.map((def) => bus.send(def, {}, READY_TIMEOUT_MS).then(stateOf, () => 'error' as const)));
  return Object.fromEntries(states.map((state, i) => [SERVICES[i], state]));
}

function stateOf(reply: Awaited<ReturnType<CommandClient['send']>>): ServiceState {
  if (!reply.ok) return reply.error.code === 'headlesskey_unavailable' ? 'unavailable' : 'error';
  const data = reply.data as { store?: boolean };
  return data.store === false ? 'store_unreachable' : 'ok';
}

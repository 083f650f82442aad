import { ConfigError, int } from '@headlesskey/platform';
import { START_ORDER } from './process-group.js';
import type { ServiceName } from './service-process.js';

type Env = Record<string, string | undefined>;

export const MAX_REPLICAS = 16;
const ALL = 'HEADLESSKEY_REPLICAS';

/** `HEADLESSKEY_REPLICAS_TOKENS` for tokens. */
export function replicasVariable(service: ServiceName): string {
  return `${ALL}_${service.toUpperCase()}`;
}

/**
 * Replicas of each service: `requested` (a caller's choice), else `HEADLESSKEY_REPLICAS_<SERVICE>`,
 * else `HEADLESSKEY_REPLICAS` for every service behind the bus, else 1. Replicas of a service
 * share its commands through a NATS queue group. The gateway runs once: replicas would need the
 * same port.
 */
export function replicaCounts(env: Env, requested: Partial<Record<ServiceName, number>> = {}): Record<ServiceName, number> {
  const all = int(env, ALL, 1, 1, MAX_REPLICAS);
  const counts = Object.fromEntries(
    START_ORDER.map((service) => {
      const fallback = service === 'gateway' ? 1 : all;
      return [service, requested[service] ?? int(env, replicasVariable(service), fallback, 1, MAX_REPLICAS)];
    }),
  ) as Record<ServiceName, number>;
  for (const [service, count] of Object.entries(counts)) {
    if (!Number.isInteger(count) || count < 1) {
      throw new ConfigError(`services.${service}: expected a whole number of replicas from 1, got ${count}`);
    }
  }
  if (counts.gateway !== 1) {
    throw new ConfigError(`${replicasVariable('gateway')}: one gateway per port; start another system for another gateway`);
  }
  return counts;
}

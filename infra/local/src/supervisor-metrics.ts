import { METRICS } from '@headlesskey/contracts';
import { observe } from '@headlesskey/platform';
import { START_ORDER } from './process-group.js';
import type { ServiceName } from './service-process.js';

/** Reports how often each service's crashed replicas were started again; answers how to stop. */
export function observeRestarts(restarts: (service: ServiceName) => number): () => void {
  return observe(METRICS.restarts, (result) => {
    for (const service of START_ORDER) result.observe(restarts(service), { service });
  });
}

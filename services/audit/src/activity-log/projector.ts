import type { EventEnvelope } from '@headlesskey/contracts';
import { ack, type Outcome, poison, type Store } from '@headlesskey/platform';
import { InvalidEvent, isExpired, toActivityEntry } from './entry.js';
import { isRefusedData } from './failure.js';
import { projectEntries } from './projection.js';

/**
 * Writes each event once into the activity log; the consumer acks only after this commits. An
 * event the log can never hold is poison (dead-lettered); a failing store is thrown, and retried.
 */
export function activityProjector(store: Store, retentionDays: () => number) {
  return async (event: EventEnvelope): Promise<Outcome> => {
    let entry: ReturnType<typeof toActivityEntry>;
    try {
      entry = toActivityEntry(event);
    } catch (err) {
      if (err instanceof InvalidEvent) return poison(err.message);
      throw err;
    }
    if (isExpired(entry.occurredAt, Date.now(), retentionDays())) return ack;
    try {
      await store.em.fork().transactional((em) => projectEntries(em, [entry]));
    } catch (err) {
      if (isRefusedData(err)) return poison(`the store refused the entry (${(err as { code?: string }).code})`);
      throw err;
    }
    return ack;
  };
}

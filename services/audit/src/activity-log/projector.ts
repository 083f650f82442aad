import type { EventEnvelope } from '@headlesskey/contracts';
import { ack, type Outcome, poison, type Store } from '@headlesskey/platform';
import { type ActivityEntry, InvalidEvent, isExpired, toActivityEntry } from './entry.js';
import { isRefusedData } from './failure.js';
import { projectEntries } from './projection.js';

/**
 * Writes each event once into the activity log; the consumer acks only after this commits. The
 * events that arrived together go in one transaction. An event the log can never hold is poison
 * (dead-lettered); a failing store is thrown, and retried.
 */
export function activityProjector(store: Store, retentionDays: () => number) {
  const write = (entries: readonly ActivityEntry[]) => store.db.transaction((tx) => projectEntries(tx, entries));

  return async (events: readonly EventEnvelope[]): Promise<Outcome[]> => {
    const outcomes: Outcome[] = [];
    const pending: { entry: ActivityEntry; at: number }[] = [];
    const now = Date.now();
    for (const [at, event] of events.entries()) {
      const entry = entryOf(event);
      if (!('eventId' in entry)) outcomes[at] = entry;
      else if (isExpired(entry.occurredAt, now, retentionDays())) outcomes[at] = ack;
      else pending.push({ entry, at });
    }
    if (pending.length === 0) return outcomes;
    try {
      await write(pending.map((p) => p.entry));
      for (const { at } of pending) outcomes[at] = ack;
    } catch (err) {
      if (!isRefusedData(err)) throw err;
      // One entry the store refuses must not hold back the others: find it alone.
      for (const { entry, at } of pending) outcomes[at] = await writeAlone(write, entry);
    }
    return outcomes;
  };
}

function entryOf(event: EventEnvelope): ActivityEntry | Outcome {
  try {
    return toActivityEntry(event);
  } catch (err) {
    if (err instanceof InvalidEvent) return poison(err.message);
    throw err;
  }
}

async function writeAlone(write: (entries: readonly ActivityEntry[]) => Promise<void>, entry: ActivityEntry): Promise<Outcome> {
  try {
    await write([entry]);
    return ack;
  } catch (err) {
    if (isRefusedData(err)) return poison(`the store refused the entry (${(err as { code?: string }).code})`);
    throw err;
  }
}

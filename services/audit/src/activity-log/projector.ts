import type { EventEnvelope } from '@headlesskey/contracts';
import { ack, type Outcome, type Store } from '@headlesskey/platform';
import { toActivityEntry } from './entry.js';

/** Writes each event once into the activity log; the consumer acks only after this commits. */
export function activityProjector(store: Store) {
  return async (event: EventEnvelope): Promise<Outcome> => {
    const e = toActivityEntry(event);
    await store.em.getConnection().execute(
      `insert into activity_log (event_id, occurred_at, type, user_id, login, ip, user_agent, outcome, trace_id, data)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (event_id) do nothing`,
      [e.eventId, e.occurredAt, e.type, e.userId, e.login, e.ip, e.userAgent, e.outcome, e.traceId, JSON.stringify(e.data)],
    );
    return ack;
  };
}

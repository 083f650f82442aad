import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, type EventEnvelope } from '@headlesskey/contracts';
import { ack, type Outcome, poison, type Store } from '@headlesskey/platform';
import { wants } from '../endpoints/events.js';
import { eraseUserDeliveries } from './erase.js';
import { webhookPayload } from './payload.js';

interface Endpoint {
  id: string;
  events: string[];
}

/**
 * The event consumer's handler: one pending delivery per enabled endpoint that wants an event,
 * for all the events that arrived together, written by one statement (atomic without a
 * transaction; events no endpoint wants cost one read). The consumer acks only after it commits,
 * and a redelivered event adds nothing (one row per endpoint and event). The body is fixed here,
 * so every attempt sends the same bytes under the same `webhook-id` (the event id).
 */
export function deliveryEnqueuer(store: Store, onQueued: () => void) {
  const db = () => store.db;

  const enqueue = async (events: readonly EventEnvelope[], endpoints: readonly Endpoint[]): Promise<number> => {
    const rows = events.flatMap((event) =>
      endpoints
        .filter((endpoint) => wants(endpoint.events, event.type))
        .map((endpoint) => ({
          id: randomUUID(),
          endpoint_id: endpoint.id,
          event_id: event.id,
          event_type: event.type,
          body: JSON.stringify(webhookPayload(event)),
        })),
    );
    if (rows.length === 0) return 0;
    const inserted = await db().execute<{ id: string }[]>(
      `insert into deliveries (id, endpoint_id, event_id, event_type, message_id, body, status, next_attempt_at)
         select x.id, x.endpoint_id, x.event_id, x.event_type, x.event_id, x.body, 'pending', now()
         from jsonb_to_recordset(?::jsonb) as x(id uuid, endpoint_id uuid, event_id uuid, event_type text, body text)
         on conflict (endpoint_id, event_id) do nothing returning id`,
      [JSON.stringify(rows)],
    );
    return inserted.length;
  };

  return async (events: readonly EventEnvelope[]): Promise<Outcome[]> => {
    const known = events.filter((event) => Object.hasOwn(EVENT_TYPES, event.type));
    let queued = 0;
    const outcomes: Outcome[] = events.map(() => ack);
    if (known.length > 0) {
      const endpoints = await db().execute<Endpoint[]>('select id, events from endpoints where enabled');
      try {
        queued = await enqueue(known, endpoints);
      } catch (err) {
        if (!isRefusedData(err)) throw err;
        // One event the store refuses must not hold back the others: find it alone.
        for (const [i, event] of events.entries()) {
          if (!known.includes(event)) continue;
          try {
            queued += await enqueue([event], endpoints);
          } catch (alone) {
            if (!isRefusedData(alone)) throw alone;
            outcomes[i] = poison('the store refused the delivery rows');
          }
        }
      }
    }
    // After the enqueue: the deletion's own delivery is queued, and then every earlier one erased.
    for (const event of known) {
      if (event.type === 'user.deleted' && typeof event.data.user_id === 'number') await eraseUserDeliveries(db(), event.data.user_id);
    }
    if (queued > 0) onQueued();
    return outcomes;
  };
}

/** A data exception (class 22) can never pass; anything else (an endpoint deleted meanwhile, a lost connection) is retried. */
function isRefusedData(err: unknown): boolean {
  return /^22/.test(String((err as { code?: unknown }).code ?? ''));
}

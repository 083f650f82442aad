import { randomUUID } from 'node:crypto';
import { EVENT_TYPES, type EventEnvelope } from '@headlesskey/contracts';
import { ack, type Outcome, poison, type Store } from '@headlesskey/platform';
import { wants } from '../endpoints/events.js';
import { webhookPayload } from './payload.js';

/**
 * The event consumer's handler: one pending delivery per enabled endpoint that wants the event,
 * written by one statement (atomic without a transaction; an event no endpoint wants costs one
 * read). The consumer acks only after it commits, and a redelivered event
 * adds nothing (one row per endpoint and event). The body is fixed here, so every attempt sends
 * the same bytes under the same `webhook-id` (the event id).
 */
export function deliveryEnqueuer(store: Store, onQueued: () => void) {
  return async (event: EventEnvelope): Promise<Outcome> => {
    if (!Object.hasOwn(EVENT_TYPES, event.type)) return ack;
    let queued: number;
    try {
      const db = store.em.getConnection();
      const endpoints = await db.execute<{ id: string; events: string[] }[]>('select id, events from endpoints where enabled');
      const targets = endpoints.filter((endpoint) => wants(endpoint.events, event.type));
      if (targets.length === 0) return ack;
      const rows = targets.map((endpoint) => ({ id: randomUUID(), endpoint_id: endpoint.id }));
      const body = JSON.stringify(webhookPayload(event));
      const inserted = await db.execute<{ id: string }[]>(
        `insert into deliveries (id, endpoint_id, event_id, event_type, message_id, body, status, next_attempt_at)
           select x.id, x.endpoint_id, ?, ?, ?, ?, 'pending', now() from jsonb_to_recordset(?::jsonb) as x(id uuid, endpoint_id uuid)
           on conflict (endpoint_id, event_id) do nothing returning id`,
        [event.id, event.type, event.id, body, JSON.stringify(rows)],
      );
      queued = inserted.length;
    } catch (err) {
      // A data exception (class 22) can never pass; anything else (an endpoint deleted meanwhile, a lost connection) is retried.
      if (/^22/.test(String((err as { code?: unknown }).code ?? ''))) return poison('the store refused the delivery rows');
      throw err;
    }
    if (queued > 0) onQueued();
    return ack;
  };
}

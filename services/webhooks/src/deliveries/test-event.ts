import { randomUUID } from 'node:crypto';
import { webhooksCommands } from '@headlesskey/contracts';
import { DomainError, type Store } from '@headlesskey/platform';
import { deliveryView } from './log.js';
import type { WebhookPayload } from './payload.js';

/**
 * `POST /webhooks/{id}/test`: one `webhook.test` delivery to this endpoint alone, whatever event
 * types it wants. It is a delivery row like any other, so the worker signs, sends, retries and
 * logs it as it does the rest; its fresh event id is its `webhook-id`. On a disabled endpoint it
 * waits, as every delivery does, until the endpoint is enabled again.
 */
export function testEventSender(store: Store, onQueued: () => void) {
  return async ({ id }: { id: string }): Promise<webhooksCommands.DeliveryView> => {
    const eventId = randomUUID();
    const payload: WebhookPayload = {
      type: webhooksCommands.TEST_EVENT_TYPE,
      timestamp: new Date().toISOString(),
      data: { endpoint_id: id },
    };
    const inserted = await store.db.execute<{ id: string }[]>(
      `insert into deliveries (id, endpoint_id, event_id, event_type, message_id, body, status, next_attempt_at)
         select ?, e.id, ?, ?, ?, ?, 'pending', now() from endpoints e where e.id = ? returning id`,
      [randomUUID(), eventId, payload.type, eventId, JSON.stringify(payload), id],
    );
    const [row] = inserted;
    if (!row) throw new DomainError('headlesskey_not_found', 'No webhook endpoint has that id.');
    // Read before the worker is woken: the answer is the delivery as queued.
    const view = await deliveryView(store.db, row.id);
    onQueued();
    return view;
  };
}

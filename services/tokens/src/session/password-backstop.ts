import type { EventEnvelope, RequestContext } from '@headlesskey/contracts';
import { ack, type Outcome, retryOnConflict, type WritingService } from '@headlesskey/platform';
import { apply } from './issue.js';
import { activeSessionIds } from './read-model.js';

const REASONS = { 'password.changed': 'password_changed', 'password.reset': 'password_reset' } as const;

/**
 * The idempotent backstop behind identity's synchronous end-all: a password change or reset ends
 * every session opened before it, even if the direct command never reached this service. Sessions
 * opened afterwards, with the new password, are left alone.
 */
export function passwordBackstop(svc: WritingService) {
  return async (event: EventEnvelope): Promise<Outcome> => {
    const reason = REASONS[event.type as keyof typeof REASONS];
    const userId = event.data.user_id;
    if (!reason || typeof userId !== 'number') return ack;
    const context: RequestContext = {
      ip: event.meta.ip ?? '',
      userAgent: event.meta.userAgent ?? '',
      requestId: event.meta.correlationId ?? event.id,
    };
    for (const id of await activeSessionIds(svc.store.db, userId, event.occurredAt)) {
      await retryOnConflict(svc.store, (tx) => apply(svc, tx, id, { type: 'End', reason }, context, userId));
    }
    return ack;
  };
}

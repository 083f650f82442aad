import type { EventEnvelope } from '@headlesskey/contracts';
import { ack, type Outcome, type WritingService } from '@headlesskey/platform';
import { contextOf } from './event-context.js';
import { endEverySession } from './user-sessions.js';

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
    await endEverySession(svc, userId, reason, contextOf(event), event.occurredAt);
    return ack;
  };
}

import { type RequestContext, tokensCommands } from '@headlesskey/contracts';
import { DomainError, type WritingService } from '@headlesskey/platform';

const TRIES = 3;

/**
 * Ends every session of the user and waits for the tokens service to confirm, so the old tokens
 * already fail validate when the caller gets its answer. A busy tokens service is asked again; if
 * it never answers, the caller hears `headlesskey_unavailable` rather than a false success.
 */
export async function endAllSessions(
  svc: WritingService,
  userId: number,
  reason: 'password_changed' | 'password_reset',
  context: RequestContext,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const reply = await svc.client.send(tokensCommands.endUserSessions, { user_id: userId, reason, context });
    if (reply.ok) return;
    if (reply.error.code !== 'headlesskey_unavailable' || attempt >= TRIES) {
      throw new DomainError(reply.error.code, reply.error.message, reply.error.details);
    }
  }
}

import { hooks, type RequestContext, type UserView } from '@headlesskey/contracts';
import { DomainError, type WritingService } from '@headlesskey/platform';
import { extraClaims } from '../jwt/extra-claims.js';

/**
 * Asks the `token.claims` hook for the extra claims of a token about to be signed — before any
 * session changes, so a hook that fails closed leaves the session as it was (no orphan session,
 * no rotated-away token). Signing the same child again (a racing tab) asks again.
 */
export async function hookClaims(
  svc: WritingService,
  grant: 'login' | 'refresh',
  user: UserView,
  context: RequestContext,
): Promise<Record<string, unknown>> {
  const outcome = await svc.hooks.call(hooks.tokenClaims, { grant, user, context });
  if (outcome.status === 'unavailable') throw new DomainError('headlesskey_unavailable');
  return outcome.status === 'answered' ? extraClaims(outcome.reply.claims) : {};
}

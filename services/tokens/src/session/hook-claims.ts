import { type HookPolicy, hooks, type RequestContext, type UserView } from '@headlesskey/contracts';
import { DomainError, type HookOutcome, type WritingService } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';
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
  const claims = claimsOf(await svc.hooks.call(hooks.tokenClaims, { grant, user, context }));
  if (claims instanceof DomainError) throw claims;
  return claims;
}

/**
 * `hookClaims` for many tokens signed together (refreshes decided in one batch), under the
 * policy the caller read: each gets its claims, or the refusal it would have got alone — which
 * only a hook that fails closed gives.
 */
export async function hookClaimsEach(
  svc: WritingService,
  grant: 'login' | 'refresh',
  requests: readonly { user: UserView; context: RequestContext }[],
  policy: HookPolicy,
): Promise<(Record<string, unknown> | DomainError)[]> {
  const outcomes = await svc.hooks.callEach(
    hooks.tokenClaims,
    requests.map(({ user, context }) => ({ grant, user, context })),
    policy,
  );
  return outcomes.map(claimsOf);
}

function claimsOf(outcome: HookOutcome<Static<typeof hooks.tokenClaims.reply>>): Record<string, unknown> | DomainError {
  if (outcome.status === 'unavailable') return new DomainError('headlesskey_unavailable');
  return outcome.status === 'answered' ? extraClaims(outcome.reply.claims) : {};
}

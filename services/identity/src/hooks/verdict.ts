import type { hooks } from '@headlesskey/contracts';
import { DomainError, type HookOutcome } from '@headlesskey/platform';
import type { Static } from '@sinclair/typebox';

type Verdict = Static<typeof hooks.Verdict>;

/**
 * The refusal a veto hook's outcome comes to, if any: its `allow: false` is forbidden with the
 * hook's own message (or `fallback`), a hook that failed closed is unavailable (503). No hook, an
 * allow, or a hook that failed open: nothing to refuse.
 */
export function refusalOf(outcome: HookOutcome<Verdict>, fallback: string): DomainError | undefined {
  if (outcome.status === 'unavailable') return new DomainError('headlesskey_unavailable');
  if (outcome.status === 'answered' && !outcome.reply.allow)
    return new DomainError('headlesskey_forbidden', outcome.reply.message ?? fallback);
  return undefined;
}

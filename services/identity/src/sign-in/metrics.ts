import { METRICS } from '@headlesskey/contracts';
import { DomainError, recorder } from '@headlesskey/platform';

const logins = recorder(METRICS.logins);

/** What a refused login counts as; an outage (`headlesskey_unavailable`) is none of them. */
const OUTCOME_OF_REFUSAL: Record<string, 'failed' | 'locked'> = {
  headlesskey_invalid_credentials: 'failed',
  // The `login.allow` hook's veto: a failed login, as its event says.
  headlesskey_forbidden: 'failed',
  headlesskey_account_locked: 'locked',
  headlesskey_ip_blocked: 'locked',
};

/** Counts each login a handler answers, by outcome: succeeded, failed or locked. */
export function countLogins<A extends unknown[], R>(handle: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      const reply = await handle(...args);
      logins.record(1, { outcome: 'succeeded' });
      return reply;
    } catch (err) {
      const outcome = err instanceof DomainError ? OUTCOME_OF_REFUSAL[err.code] : undefined;
      if (outcome) logins.record(1, { outcome });
      throw err;
    }
  };
}

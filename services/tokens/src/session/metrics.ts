import { METRICS } from '@headlesskey/contracts';
import { recorder } from '@headlesskey/platform';

const refreshes = recorder(METRICS.refreshes);
const reuseDetections = recorder(METRICS.reuseDetections);

/** Counts what a batch of refreshes came to: each succeeded or refused, and the refusals that were reuse. */
export function countRefreshes<A extends unknown[], O extends { ok: boolean }>(
  refresh: (...args: A) => Promise<O[]>,
  isReuse: (outcome: O) => boolean,
): (...args: A) => Promise<O[]> {
  return async (...args) => {
    const outcomes = await refresh(...args);
    const succeeded = outcomes.filter((o) => o.ok).length;
    if (succeeded > 0) refreshes.record(succeeded, { outcome: 'succeeded' });
    if (outcomes.length > succeeded) refreshes.record(outcomes.length - succeeded, { outcome: 'refused' });
    const reused = outcomes.filter(isReuse).length;
    if (reused > 0) reuseDetections.record(reused);
    return outcomes;
  };
}

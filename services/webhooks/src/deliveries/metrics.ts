import { METRICS } from '@headlesskey/contracts';
import { observe, recorder, type Store } from '@headlesskey/platform';
import type { NextStep } from './outcome.js';

const attempts = recorder(METRICS.webhookAttempts);

/** What an attempt's recorded step counts as: `pending` is a failure with another attempt scheduled. */
const OUTCOME: Record<NextStep['status'], string> = { delivered: 'delivered', pending: 'retrying', dead: 'dead' };

/** Counts one recorded attempt by its outcome. */
export function countAttempt(next: NextStep): void {
  attempts.record(1, { outcome: OUTCOME[next.status] });
}

/** Reports the deliveries waiting for an attempt at each collection; answers how to stop. */
export function observeQueueDepth(store: Store): () => void {
  return observe(METRICS.webhookQueueDepth, async (result) => {
    const [row] = await store.db.execute<{ depth: number }[]>(`select count(*)::int as depth from deliveries where status = 'pending'`);
    result.observe(row?.depth ?? 0);
  });
}

import { METRICS } from '@headlesskey/contracts';
import { observe } from '../telemetry/metrics.js';
import type { Database } from './sql.js';

/**
 * Reports the outbox at each collection: how many events wait for the relay, and how long the
 * oldest has (by its `occurredAt`; 0 when none waits). Asked of the table itself, so they show a
 * relay that is stuck or gone, not only one that works. Answers how to stop.
 */
export function observeOutbox(db: Database): () => void {
  const stops = [
    observe(METRICS.outboxBacklog, async (result) => {
      const [row] = await db.execute<{ backlog: number }[]>('select count(*)::int as backlog from outbox');
      result.observe(row?.backlog ?? 0);
    }),
    observe(METRICS.outboxLag, async (result) => {
      const [row] = await db.execute<{ lag: number }[]>(
        `select greatest(0, extract(epoch from now() - (payload->>'occurredAt')::timestamptz))::float8 as lag
         from outbox order by position limit 1`,
      );
      result.observe(row?.lag ?? 0);
    }),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

import type { auditCommands } from '@headlesskey/contracts';
import type { Store } from '@headlesskey/platform';
import { COUNTED, signInStatsSql } from './stats-sql.js';

/** `GET /logs/stats`: the sign-in events of every hour of the range, and their sums. */
export function logStatsHandler(store: Store) {
  return async (query: auditCommands.LogStatsQuery): Promise<auditCommands.LogStats> => {
    const range = query.range ?? '24h';
    const { sql, params } = signInStatsSql(range);
    const hours = await store.db.execute<auditCommands.SignInHour[]>(sql, params);
    return { range, hours, totals: totalsOf(hours) };
  };
}

/** The range's sums, hour by hour. */
export function totalsOf(hours: readonly auditCommands.SignInCounts[]): auditCommands.SignInCounts {
  const totals = { succeeded: 0, failed: 0, lockouts: 0, ip_blocks: 0 };
  for (const hour of hours) {
    for (const name of Object.keys(COUNTED) as (keyof typeof COUNTED)[]) totals[name] += Number(hour[name]);
  }
  return totals;
}

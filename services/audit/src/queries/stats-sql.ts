import { auditCommands } from '@headlesskey/contracts';
import type { SqlQuery } from './log-sql.js';

/** The events each count is of: the only ones the statement reads, through the log's type index. */
export const COUNTED = {
  succeeded: 'auth.login.succeeded',
  failed: 'auth.login.failed',
  lockouts: 'auth.account.locked',
  ip_blocks: 'auth.ip.blocked',
} as const satisfies Record<keyof auditCommands.SignInCounts, string>;

const UTC_HOUR = `'YYYY-MM-DD"T"HH24:00:00"Z"'`;

/**
 * One statement: the sign-in events of each UTC hour of the range, the current hour last, every
 * hour of it present (zero when nothing happened). Hours come from the database's clock, as the
 * log's times do.
 */
export function signInStatsSql(range: auditCommands.StatsRange): SqlQuery {
  const counts = Object.entries(COUNTED).map(([name, type]) => `count(*) filter (where type = '${type}')::int as ${name}`);
  const columns = Object.keys(COUNTED).map((name) => `coalesce(c.${name}, 0) as ${name}`);
  const sql = `with hours as (
      select generate_series(date_trunc('hour', now() at time zone 'UTC') - (?::int - 1) * interval '1 hour',
        date_trunc('hour', now() at time zone 'UTC'), interval '1 hour') as hour
    ), counts as (
      select date_trunc('hour', occurred_at at time zone 'UTC') as hour, ${counts.join(', ')}
      from activity_log
      where type in (${Object.values(COUNTED)
        .map((type) => `'${type}'`)
        .join(', ')})
        and occurred_at >= (select min(hour) from hours) at time zone 'UTC'
      group by 1
    )
    select to_char(h.hour, ${UTC_HOUR}) as hour, ${columns.join(', ')}
    from hours h left join counts c on c.hour = h.hour
    order by h.hour`;
  return { sql, params: [auditCommands.STATS_RANGES[range]] };
}

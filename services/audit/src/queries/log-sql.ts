import type { LogFilter } from './log-query.js';

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * The page query: newest first by (occurred_at, event_id), after the cursor, one row more than
 * the page so the caller knows whether another page follows. Every value is a bound parameter.
 */
export function logPageSql(filter: LogFilter): SqlQuery {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (filter.userId !== undefined) add('l.user_id = ?', filter.userId);
  if (filter.login !== undefined) add('l.user_id in (select user_id from audit_users where lower(login) = lower(?))', filter.login);
  if (filter.types !== undefined) add('l.type in (select jsonb_array_elements_text(?::jsonb))', JSON.stringify(filter.types));
  if (filter.ip !== undefined) add('l.ip <<= ?::inet', filter.ip);
  if (filter.since !== undefined) add('l.occurred_at >= ?::timestamptz', filter.since);
  if (filter.until !== undefined) add('l.occurred_at <= ?::timestamptz', filter.until);
  if (filter.after !== undefined) add('(l.occurred_at, l.event_id) < (?::timestamptz, ?::uuid)', filter.after.at, filter.after.id);
  params.push(filter.limit + 1);
  // Times as text: the ORM's driver hands timestamps over unparsed.
  const sql = `select l.event_id, to_char(l.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
      to_char(l.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position,
      l.type, l.user_id, coalesce(l.login, u.login) as login, host(l.ip) as ip, l.user_agent,
      l.browser, l.os, l.device_type, l.outcome, l.trace_id, l.data
    from activity_log l left join audit_users u on u.user_id = l.user_id
    ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
    order by l.occurred_at desc, l.event_id desc
    limit ?`;
  return { sql, params };
}

import type { auditCommands } from '@headlesskey/contracts';
import { DomainError, encodeCursor, type Store } from '@headlesskey/platform';
import { parseLogQuery } from './log-query.js';
import { logPageSql } from './log-sql.js';

interface Row {
  event_id: string;
  occurred_at: string;
  position: string;
  type: string;
  user_id: number | null;
  login: string | null;
  ip: string | null;
  user_agent: string | null;
  browser: string | null;
  os: string | null;
  device_type: string;
  outcome: auditCommands.ActivityEntryView['outcome'];
  trace_id: string | null;
  data: Record<string, unknown>;
}

/** `GET /logs`: one page of the activity log, read from the live version of the projection. */
export function queryLogsHandler(store: Store) {
  return async (query: auditCommands.LogsQuery): Promise<auditCommands.LogsPage> => {
    const parsed = parseLogQuery(query);
    if ('invalid' in parsed) throw new DomainError('rest_invalid_param', undefined, { params: parsed.invalid });
    const { sql, params } = logPageSql(parsed.filter);
    const rows = await store.db.execute<Row[]>(sql, params);
    const page = rows.slice(0, parsed.filter.limit);
    const last = page.at(-1);
    const more = rows.length > parsed.filter.limit && last !== undefined;
    return { entries: page.map(toView), next_cursor: more ? encodeCursor({ at: last.position, id: last.event_id }) : null };
  };
}

function toView(row: Row): auditCommands.ActivityEntryView {
  return {
    id: row.event_id,
    occurred_at: row.occurred_at,
    event: row.type,
    user_id: row.user_id,
    user_login: row.login,
    ip: row.ip,
    user_agent: row.user_agent,
    device: { browser: row.browser, os: row.os, type: row.device_type },
    outcome: row.outcome,
    trace_id: row.trace_id,
    data: row.data,
  };
}

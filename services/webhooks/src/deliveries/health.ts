import type { webhooksCommands } from '@headlesskey/contracts';
import type { Store } from '@headlesskey/platform';
import { iso } from '../schema/sql.js';

/** An endpoint with its latest recorded attempt and its deliveries by state. */
export interface EndpointHealthRow {
  id: string;
  url: string;
  description: string;
  enabled: boolean;
  disabled_reason: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  pending: number;
  retrying: number;
  dead: number;
}

/**
 * One statement, a row per endpoint. Its latest attempt is that of its delivery written last
 * which has an outcome (a status or an error; a first attempt in flight has neither yet): every
 * attempt writes its outcome on its delivery, so the attempt log itself need not be read.
 */
export const ENDPOINT_HEALTH_SQL = `select e.id, e.url, e.description, e.enabled, e.disabled_reason,
    ${iso('l.updated_at')} as last_attempt_at, l.last_status_code, l.last_error,
    coalesce(c.pending, 0) as pending, coalesce(c.retrying, 0) as retrying, coalesce(c.dead, 0) as dead
  from endpoints e
  left join lateral (
    select d.updated_at, d.last_status_code, d.last_error from deliveries d
    where d.endpoint_id = e.id and d.attempts > 0 and (d.last_status_code is not null or d.last_error is not null)
    order by d.updated_at desc, d.id desc limit 1) l on true
  left join lateral (
    select count(*) filter (where d.status = 'pending')::int as pending,
      count(*) filter (where d.status = 'pending' and d.last_error is not null)::int as retrying,
      count(*) filter (where d.status = 'dead')::int as dead
    from deliveries d where d.endpoint_id = e.id) c on true
  order by e.created_at, e.id`;

/**
 * Failing: its latest attempt failed (only a delivered attempt clears the error), or the service
 * disabled it (it answered 410 Gone). An endpoint an administrator turned off is not failing.
 */
export function webhookStatsOf(rows: readonly EndpointHealthRow[]): webhooksCommands.WebhookStats {
  const failing = rows.filter((row) => row.disabled_reason !== null || row.last_error !== null);
  return {
    endpoints: rows.length,
    enabled: rows.filter((row) => row.enabled).length,
    pending: sum(rows, 'pending'),
    dead: sum(rows, 'dead'),
    failing: failing.map(({ pending: _pending, ...row }) => row),
  };
}

const sum = (rows: readonly EndpointHealthRow[], name: 'pending' | 'dead') => rows.reduce((total, row) => total + row[name], 0);

/** `GET /webhooks/stats`. */
export function webhookStatsHandler(store: Store) {
  return async (): Promise<webhooksCommands.WebhookStats> =>
    webhookStatsOf(await store.db.execute<EndpointHealthRow[]>(ENDPOINT_HEALTH_SQL));
}

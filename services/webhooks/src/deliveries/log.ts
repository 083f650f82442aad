import type { webhooksCommands } from '@headlesskey/contracts';
import { DomainError, decodeCursor, encodeCursor, type Sql, type Store } from '@headlesskey/platform';
import { iso } from '../schema/sql.js';
import { pageSize } from './page-size.js';

interface Row {
  id: string;
  endpoint_id: string;
  message_id: string;
  event_id: string;
  event_type: string;
  status: webhooksCommands.DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  position: string;
  attempt_log: { at: string; status_code: number | null; error: string | null; duration_ms: number }[];
}

const SELECT = `select d.id, d.endpoint_id, d.message_id, d.event_id, d.event_type, d.status, d.attempts,
    ${iso('d.next_attempt_at')} as next_attempt_at, d.last_status_code, d.last_error, ${iso('d.created_at')} as created_at,
    ${iso('d.delivered_at')} as delivered_at,
    to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position,
    coalesce((select jsonb_agg(jsonb_build_object('at', a.attempted_at, 'status_code', a.status_code, 'error', a.error,
                'duration_ms', a.duration_ms) order by a.id desc)
              from (select * from delivery_attempts where delivery_id = d.id order by id desc limit 20) a), '[]'::jsonb) as attempt_log
  from deliveries d`;

const notFound = (what: string) => new DomainError('headlesskey_not_found', `No ${what} has that id.`);

/** The delivery log of one endpoint, newest first, and the redeliver action. */
export function deliveryLogHandlers(store: Store, onRedeliver: () => void) {
  return {
    async list(query: { id: string } & webhooksCommands.DeliveriesQuery) {
      const limit = pageSize(query.per_page);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const invalid: Record<string, string> = {};
      if (limit === undefined) invalid.per_page = 'per_page must be between 1 (inclusive) and 100 (inclusive).';
      if (query.cursor !== undefined && !after) invalid.cursor = 'cursor must be the next_cursor of an earlier page.';
      if (Object.keys(invalid).length > 0) throw new DomainError('rest_invalid_param', undefined, { params: invalid });
      const db = store.db;
      await assertEndpoint(db, query.id);
      const where = ['d.endpoint_id = ?'];
      const params: unknown[] = [query.id];
      if (query.status) {
        where.push('d.status = ?');
        params.push(query.status);
      }
      if (after) {
        where.push('(d.created_at, d.id) < (?::timestamptz, ?::uuid)');
        params.push(after.at, after.id);
      }
      const rows = await db.execute<Row[]>(`${SELECT} where ${where.join(' and ')} order by d.created_at desc, d.id desc limit ?`, [
        ...params,
        limit! + 1,
      ]);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        deliveries: page.map(toDeliveryView),
        next_cursor: rows.length > limit! && last ? encodeCursor({ at: last.position, id: last.id }) : null,
      };
    },

    /** Due again now, with a fresh schedule; the `webhook-id` stays, so a receiver can tell it is the same message. */
    async redeliver({ id, delivery_id }: { id: string; delivery_id: string }): Promise<webhooksCommands.DeliveryView> {
      const db = store.db;
      await assertEndpoint(db, id);
      const updated = await db.execute<{ id: string }[]>(
        `update deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = null, claim_token = null,
           delivered_at = null, updated_at = now()
         where id = ? and endpoint_id = ? returning id`,
        [delivery_id, id],
      );
      if (updated.length === 0) throw notFound('delivery of this endpoint');
      // Read before the worker is woken: the answer is the delivery as queued.
      const view = await deliveryView(db, delivery_id);
      onRedeliver();
      return view;
    },
  };
}

/** One delivery as the log shows it. */
export async function deliveryView(db: Sql, id: string): Promise<webhooksCommands.DeliveryView> {
  const [row] = await db.execute<Row[]>(`${SELECT} where d.id = ?`, [id]);
  return toDeliveryView(row!);
}

async function assertEndpoint(db: Sql, id: string): Promise<void> {
  const rows = await db.execute('select 1 from endpoints where id = ?', [id]);
  if (rows.length === 0) throw notFound('webhook endpoint');
}

function toDeliveryView(row: Row): webhooksCommands.DeliveryView {
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    message_id: row.message_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: row.created_at,
    delivered_at: row.delivered_at,
    attempt_log: row.attempt_log.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  };
}

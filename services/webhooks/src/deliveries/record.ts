import type { Sql, Store } from '@headlesskey/platform';
import { disableEndpoint } from '../endpoints/store.js';
import type { ClaimedDelivery } from './claim.js';
import type { NextStep } from './outcome.js';
import type { SendResult } from './send.js';

/**
 * Writes what an attempt came to, if this worker still holds the delivery's lease (a worker
 * that outlived its lease loses the write; the delivery was claimed again). Answers whether it did.
 * The delivery and its attempt are one statement, atomic without a transaction: one round trip,
 * and the endpoint's slot is free again that much sooner. Only a last attempt that disables its
 * endpoint needs a transaction.
 */
export async function recordAttempt(store: Store, claimed: ClaimedDelivery, result: SendResult, next: NextStep): Promise<boolean> {
  if (next.status === 'dead' && next.disableEndpoint) {
    return store.db.transaction(async (tx) => {
      const recorded = await record(tx, claimed, result, next);
      if (recorded) await disableEndpoint(tx, claimed.endpointId, 'gone');
      return recorded;
    });
  }
  return record(store.db, claimed, result, next);
}

async function record(sql: Sql, claimed: ClaimedDelivery, result: SendResult, next: NextStep): Promise<boolean> {
  const statusCode = result.kind === 'response' ? result.status : null;
  const error = next.status === 'delivered' ? null : next.error;
  const updated = await sql.execute<{ id: string }[]>(
    `with updated as (
       update deliveries set status = ?,
         next_attempt_at = case when ? = 'pending' then now() + ? * interval '1 millisecond' else null end,
         delivered_at = case when ? = 'delivered' then now() else delivered_at end,
         locked_until = null, claim_token = null, last_status_code = ?, last_error = ?, updated_at = now()
       where id = ? and claim_token = ? returning id),
     attempt as (
       insert into delivery_attempts (delivery_id, status_code, error, duration_ms)
       select id, ?::integer, ?::text, ?::integer from updated)
     select id from updated`,
    [
      next.status,
      next.status,
      next.status === 'pending' ? next.delayMs : 0,
      next.status,
      statusCode,
      error,
      claimed.id,
      claimed.claimToken,
      statusCode,
      error,
      Math.min(result.durationMs, 2_147_483_647),
    ],
  );
  return updated.length > 0;
}

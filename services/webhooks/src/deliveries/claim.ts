import type { Store } from '@headlesskey/platform';
import { signingSecrets } from '../endpoints/view.js';

/** A delivery this worker holds for one attempt, until `locked_until` or until it records a result. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  url: string;
  secrets: string[];
  messageId: string;
  eventId: string;
  eventType: string;
  body: string;
  /** Attempts made, this one included. */
  attempt: number;
  claimToken: string;
}

/** Endpoints with deliveries due now, the longest-waiting first. */
export async function dueEndpoints(store: Store, limit: number): Promise<string[]> {
  const rows = await store.db.execute<{ endpoint_id: string }[]>(
    `select d.endpoint_id from deliveries d join endpoints e on e.id = d.endpoint_id and e.enabled
     where d.status = 'pending' and d.next_attempt_at <= now() and (d.locked_until is null or d.locked_until <= now())
     group by d.endpoint_id order by min(d.next_attempt_at) limit ?`,
    [limit],
  );
  return rows.map((row) => row.endpoint_id);
}

/**
 * Claims up to `max` due deliveries of one endpoint, never more than `perEndpoint` in flight for
 * it across every replica: the endpoint row is locked while its in-flight count is read and its
 * rows are leased (`for update skip locked`, so another claimer passes over them). A lease that
 * runs out — the worker died mid-attempt — makes the delivery due again. One call of the
 * `claim_deliveries` function (schema/claim-function.ts): one round trip.
 */
export async function claimForEndpoint(
  store: Store,
  endpointId: string,
  max: number,
  perEndpoint: number,
  leaseMs: number,
  holder: string,
): Promise<ClaimedDelivery[]> {
  const rows = await store.db.execute<
    {
      id: string;
      message_id: string;
      event_id: string;
      event_type: string;
      body: string;
      attempts: number;
      claim_token: string;
      url: string;
      secret: string;
      previous_secret: string | null;
      previous_secret_expires_at: string | null;
      now: string;
    }[]
  >('select * from claim_deliveries(?, ?, ?, ?, ?)', [endpointId, max, perEndpoint, leaseMs, holder]);
  return rows.map((row) => ({
    id: row.id,
    endpointId,
    url: row.url,
    secrets: signingSecrets(row, Date.parse(row.now)),
    messageId: row.message_id,
    eventId: row.event_id,
    eventType: row.event_type,
    body: row.body,
    attempt: row.attempts,
    claimToken: row.claim_token,
  }));
}

/**
 * How long until a delivery falls due or a lease runs out, capped by `maxMs`. Deliveries already
 * due but not claimable (their endpoint is at its limit) do not count: a finished attempt wakes
 * the worker for those.
 */
export async function msUntilNextDue(store: Store, maxMs: number): Promise<number> {
  // Two index lookups rather than a scan of every pending row: a dead endpoint's backlog can be long.
  const [row] = await store.db.execute<{ ms: number | string | null }[]>(
    `select extract(epoch from least(
       (select min(next_attempt_at) from deliveries where status = 'pending' and next_attempt_at > now()),
       (select min(locked_until) from deliveries where locked_until > now())
     ) - now()) * 1000 as ms`,
  );
  const ms = row?.ms === null || row?.ms === undefined ? maxMs : Number(row.ms);
  return Math.max(1, Math.min(maxMs, Math.ceil(ms)));
}

/** Processes other than `self` holding leases in force. */
export async function leaseHolders(store: Store, self: string): Promise<string[]> {
  const rows = await store.db.execute<{ claimed_by: string }[]>(
    `select distinct claimed_by from deliveries
     where status = 'pending' and claimed_by is not null and claimed_by <> ? and locked_until > now()`,
    [self],
  );
  return rows.map((row) => row.claimed_by);
}

/**
 * Ends the leases of a process that has gone: its deliveries are due again, and are sent again
 * under the same `webhook-id` (one may have reached its endpoint before the process died).
 */
export async function releaseLeases(store: Store, holder: string): Promise<number> {
  const rows = await store.db.execute<unknown[]>(
    `update deliveries set locked_until = now() where status = 'pending' and claimed_by = ? and locked_until > now() returning id`,
    [holder],
  );
  return rows.length;
}

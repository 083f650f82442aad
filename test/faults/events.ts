import type { Receiver } from '../support/webhook-receiver.js';
import { type Backing, type Counts, counts, countsAgree, storedEvents } from './stores.js';

/** How long the projections and the deliveries may take to catch up once the load has stopped. */
const CATCH_UP_MS = 90_000;

export interface EventVerdict {
  counts: Counts;
  /** Webhook ids the receiver accepted more than once, and how often. */
  duplicates: [string, number][];
  /** Of those, the ones whose first delivery was in flight when the dispatcher was killed. */
  inFlightAtKill: number;
  /** Events recorded after the endpoint was made that never reached it, and accepted ids no store holds. */
  undelivered: string[];
  unknown: string[];
  delivered: number;
  problems: string[];
}

/** Waits (bounded) until `done` holds of the probe's value; gives the last value either way. */
async function settleOn<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && (done(value) || Date.now() > deadline)) return value;
    if (Date.now() > deadline) return probe();
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface EventCheck {
  /** Database time from which every event must reach the receiver. */
  since: Date;
  /** The phase a moment fell in, for the report. */
  phaseAt(at: number): string;
  /** Whether a delivery that reached the receiver at `at` was in flight when the webhooks process was killed. */
  inFlightAtKill(at: number): boolean;
}

/**
 * Every event is stored once, streamed once and logged once; each reached the webhook receiver,
 * subscribed to `*` since `check.since`, once per `webhook-id`. A delivery that reached the receiver
 * while the dispatcher was being killed, before it could record the answer, is sent again under the
 * same id and with the same bytes (Standard Webhooks' at-least-once, which receivers dedupe by
 * `webhook-id`): such repeats are counted, any other repeat is a broken promise.
 */
export async function checkEvents(backing: Backing, receiver: Receiver, check: EventCheck): Promise<EventVerdict> {
  const c = await settleOn(() => counts(backing), countsAgree, CATCH_UP_MS);
  const expected = async () => (await storedEvents(backing)).filter((e) => e.recorded_at >= check.since).map((e) => e.id);
  const missing = async () => {
    const accepted = new Set(receiver.acceptedIds());
    return (await expected()).filter((id) => !accepted.has(id));
  };
  const undelivered = await settleOn(missing, (ids) => ids.length === 0, CATCH_UP_MS);
  const stored = new Set((await storedEvents(backing)).map((e) => e.id));
  const seen = new Map<string, number>();
  for (const id of receiver.acceptedIds()) seen.set(id, (seen.get(id) ?? 0) + 1);
  const duplicates = [...seen].filter(([, n]) => n > 1);
  const unknown = [...seen.keys()].filter((id) => !stored.has(id));
  const problems: string[] = [];
  if (!countsAgree(c)) {
    problems.push(
      `events ${c.stored} stored, ${c.streamed} streamed, ${c.logged} logged (not logged: ${c.notLogged.join(', ') || '-'}; logged, not stored: ${c.notStored.join(', ') || '-'})`,
    );
  }
  const receipts = (id: string) => receiver.received.filter((r) => r.id === id && r.status !== undefined && r.status < 300);
  const excused = duplicates.filter(([id]) => {
    const [first, ...again] = receipts(id);
    return first !== undefined && check.inFlightAtKill(first.at) && again.every((r) => r.body === first.body);
  });
  const repeated = duplicates.filter((d) => !excused.includes(d));
  if (repeated.length > 0) {
    const where = repeated.map(([id, n]) => `${id} ×${n} (first during ${check.phaseAt(receipts(id)[0]?.at ?? 0)})`);
    problems.push(`webhooks delivered more than once: ${where.slice(0, 5).join(', ')} (${repeated.length} ids)`);
  }
  if (undelivered.length > 0)
    problems.push(`events never delivered to the webhook: ${undelivered.slice(0, 5).join(', ')} (${undelivered.length})`);
  if (unknown.length > 0) problems.push(`webhooks for events no store holds: ${unknown.slice(0, 5).join(', ')}`);
  return { counts: c, duplicates, inFlightAtKill: excused.length, undelivered, unknown, delivered: seen.size, problems };
}

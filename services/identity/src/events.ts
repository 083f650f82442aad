import type { EventMeta } from '@headlesskey/contracts';
import { appendToStream, type EntityManager, type NewEvent, type StoreScope } from '@headlesskey/platform';

/**
 * Appends facts no decision depends on at the end of their stream, inside the caller's
 * transaction. A concurrent append raises `ConcurrencyError`, and `retryOnConflict` runs the whole
 * transaction again, so these facts commit with the state change that caused them or not at all.
 */
export async function appendAtEnd(
  em: EntityManager,
  scope: StoreScope,
  streamId: string,
  events: readonly NewEvent[],
  meta: EventMeta,
): Promise<void> {
  if (events.length === 0) return;
  const [row] = await em.execute<{ v: number }[]>('select coalesce(max(version), 0)::int as v from events where stream_id = ?', [streamId]);
  await appendToStream(em, scope, streamId, row?.v ?? 0, events, meta);
}

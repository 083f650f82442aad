import type { EventEnvelope, EventMeta, EventType, Names, ServiceName } from '@headlesskey/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Database, Sql } from './sql.js';

/** A fact a decider produced, before the store gives it an id, a stream position and metadata. */
export interface NewEvent<T extends EventType = EventType, D extends object = object> {
  type: T;
  data: D;
}

/** Another writer appended to the stream first: re-read it and decide again. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
}

export interface StoreScope {
  service: ServiceName;
  names: Names;
}

export interface LoadedStream {
  version: number;
  events: NewEvent[];
}

/** Reads one stream in order; `types` narrows it to the events a write model folds. */
export async function readStream(tx: Sql, streamId: string, types?: readonly string[]): Promise<LoadedStream> {
  const rows = await tx.execute<{ type: string; data: Record<string, unknown>; version: number }[]>(
    types
      ? 'select type, data, version from events where stream_id = ? and type in (select jsonb_array_elements_text(?::jsonb)) order by version'
      : 'select type, data, version from events where stream_id = ? order by version',
    types ? [streamId, JSON.stringify(types)] : [streamId],
  );
  let version = rows.at(-1)?.version ?? 0;
  if (types) {
    const [last] = await tx.execute<{ v: number }[]>('select coalesce(max(version), 0)::int as v from events where stream_id = ?', [
      streamId,
    ]);
    version = last?.v ?? 0;
  }
  return { version, events: rows.map((r) => ({ type: r.type as EventType, data: r.data })) };
}

/** Events to append to one stream, right after the version its decision was read at. */
export interface StreamAppend {
  streamId: string;
  expectedVersion: number;
  events: readonly NewEvent[];
  meta: EventMeta;
}

/**
 * Appends events after `expectedVersion` and queues them in the outbox, in the caller's
 * transaction. A unique violation on (stream, version) means someone else wrote first.
 */
export async function appendToStream(
  tx: Sql,
  scope: StoreScope,
  streamId: string,
  expectedVersion: number,
  events: readonly NewEvent[],
  meta: EventMeta,
): Promise<EventEnvelope[]> {
  return appendToStreams(tx, scope, [{ streamId, expectedVersion, events, meta }]);
}

/**
 * A data-modifying statement to run in the same statement as an append, such as the read model
 * update that goes with the events: `?` placeholders, bound in order to `params`. It goes with
 * events: an append of none writes nothing, this included.
 */
export interface AlsoWrite {
  sql: string;
  params: unknown[];
}

/**
 * Appends to several streams at once, in one statement: the events, their outbox rows, the
 * relay's wake-up and whatever `also` writes. One statement is one atomic commit even outside a
 * transaction. Any stream that moved past its expected version fails the whole of it with
 * `ConcurrencyError`: nothing is written, and the caller decides everything again.
 */
export async function appendToStreams(
  tx: Sql,
  scope: StoreScope,
  appends: readonly StreamAppend[],
  also: readonly AlsoWrite[] = [],
): Promise<EventEnvelope[]> {
  const occurredAt = new Date().toISOString();
  const envelopes = appends.flatMap(({ streamId, expectedVersion, events, meta }) => {
    const clean = stripUndefined(meta);
    return events.map<EventEnvelope>((e, i) => ({
      id: uuidv7(),
      type: e.type,
      stream: streamId,
      version: expectedVersion + i + 1,
      occurredAt,
      data: e.data as Record<string, unknown>,
      meta: clean,
    }));
  });
  if (envelopes.length === 0) return envelopes;
  const rows = envelopes.map((e) => ({ ...e, subject: scope.names.event(scope.service, e.type) }));
  try {
    // One JSON parameter for all the events, whatever their number.
    await tx.execute(
      `with x as (select e from jsonb_array_elements(?::jsonb) with ordinality as a(e, n) order by n),
       appended as (
         insert into events (id, stream_id, version, type, data, meta, recorded_at)
         select (e->>'id')::uuid, e->>'stream', (e->>'version')::int, e->>'type', e->'data', e->'meta', (e->>'occurredAt')::timestamptz
         from x),
       queued as (
         insert into outbox (event_id, subject, payload)
         select (e->>'id')::uuid, e->>'subject', e - 'subject' from x)
       ${also.map((w, i) => `, also${i} as (${w.sql})`).join('\n')}
       select pg_notify('outbox', '')`,
      [JSON.stringify(rows), ...also.flatMap((w) => w.params)],
    );
  } catch (err) {
    if (isUniqueViolation(err, 'events_stream_version')) {
      const streams = appends.map((a) => `${a.streamId}@${a.expectedVersion}`).join(', ');
      throw new ConcurrencyError(`a stream moved past the version it was decided at (${streams})`);
    }
    throw err;
  }
  return envelopes;
}

/** True for PostgreSQL's unique_violation, optionally on one named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  return constraint === undefined || e.constraint === constraint || Boolean(e.message?.includes(`"${constraint}"`));
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Appends facts that no decision depends on (a failed login, say) at the end of their stream,
 * inside the caller's transaction. Appenders at the end of one stream take turns (a transaction
 * lock on the stream's name), each reading the end once the one before has committed: a dozen
 * logins of one account at once append one after the other instead of racing for the same
 * version. A decided append landing in between still raises `ConcurrencyError`; run the whole
 * transaction again (`retryOnConflict`), so the facts commit with what caused them or not at all.
 */
export async function appendAtEnd(
  tx: Sql,
  scope: StoreScope,
  streamId: string,
  events: readonly NewEvent[],
  meta: EventMeta,
): Promise<EventEnvelope[]> {
  if (events.length === 0) return [];
  // Its own statement: under READ COMMITTED the read that follows sees what the lock waited for.
  await tx.execute("select pg_advisory_xact_lock(hashtext('stream-end'), hashtext(?))", [streamId]);
  const [row] = await tx.execute<{ v: number }[]>('select coalesce(max(version), 0)::int as v from events where stream_id = ?', [streamId]);
  return appendToStream(tx, scope, streamId, row?.v ?? 0, events, meta);
}

const MAX_ATTEMPTS = 8;
/** Up to this many ms times the attempt's number, drawn at random, before running it again. */
const BACKOFF_STEP_MS = 5;

/**
 * Runs `attempt` again from the start, up to a few times, while a concurrent append wins the
 * race — or the server ends it to break a deadlock (40P01) or a serialization failure (40001):
 * two writers that met on the same rows, of which one must start over. Nothing of the attempt
 * was written, so running it again is safe. Each retry first waits a random few milliseconds,
 * growing with the attempt: writers that collided once, started again at the same instant, would
 * mostly collide again (a dozen logins and refreshes of one device at once did, five times over).
 */
export async function untilNoConflict<T>(attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!isConflict(err) || n >= MAX_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * BACKOFF_STEP_MS * n));
    }
  }
}

const CONFLICT_SQLSTATES = new Set(['40P01', '40001']);

function isConflict(err: unknown): boolean {
  return err instanceof ConcurrencyError || CONFLICT_SQLSTATES.has((err as { code?: string } | null)?.code ?? '');
}

/** Runs `work` in a transaction, again from the start when a concurrent append wins the race. */
export function retryOnConflict<T>(store: { db: Database }, work: (tx: Sql) => Promise<T>): Promise<T> {
  return untilNoConflict(() => store.db.transaction(work));
}

/** `appendAtEnd` in a transaction of its own, tried again while other writers move the end. */
export function recordEvents(
  store: { db: Database },
  scope: StoreScope,
  streamId: string,
  events: readonly NewEvent[],
  meta: EventMeta,
): Promise<EventEnvelope[]> {
  return retryOnConflict(store, (tx) => appendAtEnd(tx, scope, streamId, events, meta));
}

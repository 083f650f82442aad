import { concernsUser, EventEnvelope, erasePersonal, type Names, type ServiceName } from '@headlesskey/contracts';
import { type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { checker } from '../bus/codec.js';
import type { Sql } from './sql.js';

/**
 * `concernsUser` in SQL, over an event's `data` and (if kept) `meta` JSON expressions: the one
 * spelling of "about the user, or done by them" for every table that keeps events or their copies.
 */
export function aboutUser(data: string, meta: string | undefined, userId: number): { sql: string; values: string[] } {
  const id = String(userId);
  const sql = `(${data}->>'user_id' = ? or ${data}->'by'->>'user_id' = ?${meta ? ` or ${meta}->>'actor' = ?` : ''})`;
  return { sql, values: meta ? [id, id, id] : [id, id] };
}

/** Where the erasure of one user stands in a service's event store: for `eraseFromEventStream`. */
export interface StoreErasure {
  /** Events whose personal fields were erased. */
  events: number;
  /** The outbox's last position when it was done: once the relay is past it, the stream holds every one of them. */
  outboxUpTo: number;
}

/**
 * Erases a user's personal data from this service's event store, inside the caller's transaction:
 * each event about the user or done by them (`concernsUser`) keeps its id, stream, version, type
 * and time, and loses the values of its personal fields (`erasePersonal`); so do the outbox's
 * copies not yet published. The snapshots of their streams are dropped: they are folds of the
 * events, made again from the erased ones.
 */
export async function eraseFromEventStore(tx: Sql, userId: number): Promise<StoreErasure> {
  const events = aboutUser('data', 'meta', userId);
  const rows = await tx.execute<{ id: string; stream_id: string; data: unknown; meta: unknown }[]>(
    `select id, stream_id, data, meta from events where ${events.sql} for update`,
    events.values,
  );
  for (const row of rows) {
    await tx.execute('update events set data = ?::jsonb, meta = ?::jsonb where id = ?', [
      JSON.stringify(erasePersonal(row.data)),
      JSON.stringify(erasePersonal(row.meta)),
      row.id,
    ]);
  }
  const copies = aboutUser("payload->'data'", "payload->'meta'", userId);
  const pending = await tx.execute<{ position: string; payload: unknown }[]>(
    `select position, payload from outbox where ${copies.sql} for update`,
    copies.values,
  );
  for (const row of pending) {
    await tx.execute('update outbox set payload = ?::jsonb where position = ?', [JSON.stringify(erasePersonal(row.payload)), row.position]);
  }
  const streams = [...new Set(rows.map((r) => r.stream_id))];
  if (streams.length > 0) await tx.execute('delete from snapshots where stream_id = any(?::text[])', [streams]);
  const [last] = await tx.execute<{ position: string | null }[]>('select max(position)::text as position from outbox');
  return { events: rows.length, outboxUpTo: Number(last?.position ?? 0) };
}

const RELAY_WAIT_MS = 30_000;
const envelope = checker(EventEnvelope);

/**
 * Erases from the instance's event stream the messages this service published about the user
 * (`concernsUser`) that still hold personal data: deleted and overwritten on disk (JetStream's
 * secure erase). It waits first for the relay to publish what the outbox held when the store was
 * erased, so no message read before the erasure is published after this pass. Reads the whole
 * stream: a rare operation, and the price of a stream that keeps no index by user. Answers how many
 * messages it erased.
 */
export async function eraseFromEventStream(
  nc: NatsConnection,
  db: Sql,
  names: Names,
  service: ServiceName,
  userId: number,
  erasure: StoreErasure,
): Promise<number> {
  await relayPast(db, erasure.outboxUpTo);
  const jsm = await jetstreamManager(nc);
  const stream = names.eventStream;
  // Up to the last message now: the relay was past the erasure before, so nothing later is ours to erase.
  const { state } = await jsm.streams.info(stream);
  if (state.messages === 0) return 0;
  const consumer = await jetstream(nc).consumers.get(stream);
  const prefix = names.event(service, '');
  const doomed: number[] = [];
  const messages = await consumer.consume();
  for await (const msg of messages) {
    if (msg.subject.startsWith(prefix)) {
      const event = msg.json<unknown>();
      if (envelope.Check(event) && concernsUser(event, userId) && JSON.stringify(erasePersonal(event)) !== JSON.stringify(event)) {
        doomed.push(msg.seq);
      }
    }
    if (msg.seq >= state.last_seq || msg.info.pending === 0) break;
  }
  await messages.close();
  let erased = 0;
  for (const seq of doomed) {
    // Another pass for the same user (the command and the event's backstop) may have erased it first.
    // The server's refusal names this in more than one way ("no message found", "sequence N not
    // found"): whether the message is still there is what decides.
    const gone = await jsm.streams.deleteMessage(stream, seq, true).catch(async (err: unknown) => {
      if (await stillThere(jsm, stream, seq)) throw err;
      return false;
    });
    if (gone) erased++;
  }
  return erased;
}

async function stillThere(jsm: JetStreamManager, stream: string, seq: number): Promise<boolean> {
  return jsm.streams.getMessage(stream, { seq }).then(
    (msg) => msg !== null,
    () => false,
  );
}

/** Waits until the outbox holds nothing at or before `position`: the relay published all of it. */
async function relayPast(db: Sql, position: number): Promise<void> {
  const deadline = Date.now() + RELAY_WAIT_MS;
  for (;;) {
    const [row] = await db.execute<{ n: number }[]>('select count(*)::int as n from outbox where position <= ?', [position]);
    if ((row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error('the outbox relay did not publish the erased events in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

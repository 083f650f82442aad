import type { EventType } from '@headlesskey/contracts';
import { Migration } from '@mikro-orm/migrations';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NewEvent } from './event-store.js';

/** Long-lived streams (a session refreshed all day) keep their folded state beside the events. */
export class SnapshotsMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table snapshots (
      stream_id text primary key,
      version integer not null,
      state jsonb not null
    )`);
  }
}

export interface Snapshotted<S> {
  version: number;
  state: S;
  /** Events recorded after the snapshot, in order. */
  events: NewEvent[];
}

/**
 * Reads the stream's snapshot and only the events after it. A snapshot is a cache of `fold`:
 * dropping the table loses nothing but time.
 */
export async function readSnapshotted<S>(em: EntityManager, streamId: string, initial: S): Promise<Snapshotted<S>> {
  const [snap] = await em.execute<{ version: number; state: S }[]>('select version, state from snapshots where stream_id = ?', [streamId]);
  const after = snap?.version ?? 0;
  const rows = await em.execute<{ type: string; data: Record<string, unknown>; version: number }[]>(
    'select type, data, version from events where stream_id = ? and version > ? order by version',
    [streamId, after],
  );
  return {
    version: rows.at(-1)?.version ?? after,
    state: snap ? snap.state : initial,
    events: rows.map((r) => ({ type: r.type as EventType, data: r.data })),
  };
}

export async function writeSnapshot<S>(em: EntityManager, streamId: string, version: number, state: S): Promise<void> {
  await em.execute(
    `insert into snapshots (stream_id, version, state) values (?, ?, ?::jsonb)
     on conflict (stream_id) do update set version = excluded.version, state = excluded.state`,
    [streamId, version, JSON.stringify(state)],
  );
}

/** `readSnapshotted` for many streams in two statements, whatever their number. */
export async function readManySnapshotted<S>(
  em: EntityManager,
  streamIds: readonly string[],
  initial: S,
): Promise<Map<string, Snapshotted<S>>> {
  const ids = JSON.stringify([...new Set(streamIds)]);
  const snaps = await em.execute<{ stream_id: string; version: number; state: S }[]>(
    'select stream_id, version, state from snapshots where stream_id in (select jsonb_array_elements_text(?::jsonb))',
    [ids],
  );
  const loaded = new Map<string, Snapshotted<S>>(streamIds.map((id) => [id, { version: 0, state: initial, events: [] }]));
  for (const snap of snaps) loaded.set(snap.stream_id, { version: snap.version, state: snap.state, events: [] });
  const rows = await em.execute<{ stream_id: string; type: string; data: Record<string, unknown>; version: number }[]>(
    `select e.stream_id, e.type, e.data, e.version from events e left join snapshots s on s.stream_id = e.stream_id
     where e.stream_id in (select jsonb_array_elements_text(?::jsonb)) and e.version > coalesce(s.version, 0)
     order by e.stream_id, e.version`,
    [ids],
  );
  for (const row of rows) {
    const stream = loaded.get(row.stream_id)!;
    stream.events.push({ type: row.type as EventType, data: row.data });
    stream.version = row.version;
  }
  return loaded;
}

export async function writeSnapshots<S>(
  em: EntityManager,
  snapshots: readonly { streamId: string; version: number; state: S }[],
): Promise<void> {
  if (snapshots.length === 0) return;
  await em.execute(
    `insert into snapshots (stream_id, version, state)
     select s->>'streamId', (s->>'version')::int, s->'state' from jsonb_array_elements(?::jsonb) as a(s)
     on conflict (stream_id) do update set version = excluded.version, state = excluded.state`,
    [JSON.stringify(snapshots)],
  );
}

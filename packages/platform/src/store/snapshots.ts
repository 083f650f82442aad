import type { EventType } from '@headlesskey/contracts';
import { Migration } from '@mikro-orm/migrations';
import type { AlsoWrite, NewEvent } from './event-store.js';
import type { Sql } from './sql.js';

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
 * Reads each stream's snapshot and only the events after it, in one statement, through the
 * (stream, version) index stream by stream — never a scan of the whole event table, whatever its
 * size. A snapshot is a cache of `fold`: dropping the table loses nothing but time.
 */
export async function readManySnapshotted<S>(tx: Sql, streamIds: readonly string[], initial: S): Promise<Map<string, Snapshotted<S>>> {
  const rows = await tx.execute<
    {
      stream_id: string;
      snap_version: number | null;
      state: S | null;
      type: string | null;
      data: Record<string, unknown>;
      version: number | null;
    }[]
  >(
    // `offset 0` keeps the lateral subquery per stream: pulled up, it would be a hash join over all events.
    `select x.id as stream_id, s.version as snap_version, s.state, e.type, e.data, e.version
     from jsonb_array_elements_text(?::jsonb) as x(id)
     left join snapshots s on s.stream_id = x.id
     left join lateral (
       select type, data, version from events where stream_id = x.id and version > coalesce(s.version, 0) order by version offset 0
     ) e on true
     order by x.id, e.version`,
    [JSON.stringify([...new Set(streamIds)])],
  );
  const loaded = new Map<string, Snapshotted<S>>();
  for (const row of rows) {
    let stream = loaded.get(row.stream_id);
    if (!stream) {
      stream = { version: row.snap_version ?? 0, state: row.state ?? initial, events: [] };
      loaded.set(row.stream_id, stream);
    }
    if (row.type === null || row.version === null) continue;
    stream.events.push({ type: row.type as EventType, data: row.data });
    stream.version = row.version;
  }
  return loaded;
}

/** The upsert of many streams' snapshots, to run with their append (see `AlsoWrite`). */
export function snapshotsWrite<S>(snapshots: readonly { streamId: string; version: number; state: S }[]): AlsoWrite {
  return {
    sql: `insert into snapshots (stream_id, version, state)
      select s->>'streamId', (s->>'version')::int, s->'state' from jsonb_array_elements(?::jsonb) as a(s)
      on conflict (stream_id) do update set version = excluded.version, state = excluded.state`,
    params: [JSON.stringify(snapshots)],
  };
}

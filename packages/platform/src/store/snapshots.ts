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

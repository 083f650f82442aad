import { EventEnvelope, type Names } from '@headlesskey/contracts';
import { checker, decodeJson, type Logger, type Sql, type Store, startBackgroundLoop } from '@headlesskey/platform';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type ActivityEntry, InvalidEvent, isExpired, toActivityEntry } from './entry.js';
import { isRefusedData } from './failure.js';
import { eraseDeletedUsers, insertEntries, readVersions, rememberUsers, tableName } from './projection.js';

type NatsConnection = Parameters<typeof jetstream>[0];

export interface RebuildOptions {
  store: Store;
  nc: NatsConnection;
  names: Names;
  logger: Logger;
  retentionDays: number;
}

export interface RebuildResult {
  /** The version now live, and the one it replaced (dropped). */
  version: number;
  previous: number;
  /** Events read from the stream, entries written, events left out (invalid or past retention). */
  events: number;
  entries: number;
  skipped: number;
}

const BATCH = 500;
const HEARTBEAT_MS = 5_000;
/** A building version whose heartbeat is older than this belongs to a rebuild that died. */
const STALE_SECONDS = 60;

/**
 * Rebuilds the activity log from the event stream into the next version of its table, beside the
 * live one, then swaps the `activity_log` view over in one transaction and drops the old table.
 * Reads go on against the live version the whole time. From the moment the new version exists the
 * projector writes every new entry to both, so replaying the stream up to its last sequence at
 * that moment leaves nothing out.
 */
export async function rebuildActivityLog(opts: RebuildOptions): Promise<RebuildResult> {
  const { version, previous } = await startBuilding(opts.store);
  opts.logger.info({ version, previous }, 'rebuilding the activity log');
  const beat = startBackgroundLoop({
    name: 'rebuild heartbeat',
    logger: opts.logger,
    intervalMs: HEARTBEAT_MS,
    // The maximum back-off is the interval: a rebuild's heartbeat must never go stale over a blip.
    maxBackoffMs: HEARTBEAT_MS,
    startIdle: true,
    step: () => heartbeat(opts.store, version),
  });
  try {
    const counts = await replay(opts, tableName(version));
    await swap(opts.store, version, previous);
    return { version, previous, ...counts };
  } catch (err) {
    await abandon(opts.store, version).catch((cleanup) => opts.logger.warn({ err: cleanup }, 'could not drop the unfinished version'));
    throw err;
  } finally {
    await beat.stop();
  }
}

async function startBuilding(store: Store): Promise<{ version: number; previous: number }> {
  return store.db.transaction(async (tx) => {
    const versions = await readVersions(tx, 'update');
    if (versions.building !== null) {
      const [row] = await tx.execute<{ fresh: boolean }[]>(
        `select coalesce(building_heartbeat > now() - interval '${STALE_SECONDS} seconds', false) as fresh from activity_log_versions`,
      );
      if (row?.fresh) throw new Error(`a rebuild of version ${versions.building} is already running`);
      await tx.execute(`drop table if exists ${tableName(versions.building)}`);
    }
    const version = Math.max(versions.live, versions.building ?? 0) + 1;
    await tx.execute(`create table ${tableName(version)} (like ${tableName(versions.live)} including all)`);
    await tx.execute('update activity_log_versions set building = ?, building_heartbeat = now()', [version]);
    return { version, previous: versions.live };
  });
}

async function heartbeat(store: Store, version: number): Promise<void> {
  await store.db.execute('update activity_log_versions set building_heartbeat = now() where building = ?', [version]);
}

/** Reads the stream from its first event up to its end as of now, and writes what it finds. */
async function replay(opts: RebuildOptions, table: string): Promise<Omit<RebuildResult, 'version' | 'previous'>> {
  const stream = opts.names.eventStream;
  const lastSeq = (await (await jetstreamManager(opts.nc)).streams.info(stream)).state.last_seq;
  const consumer = await jetstream(opts.nc).consumers.get(stream, { filter_subjects: opts.names.events });
  const cutoff = Date.now();
  const counts = { events: 0, entries: 0, skipped: 0 };
  for (let done = lastSeq === 0; !done; ) {
    const batch: ActivityEntry[] = [];
    let got = 0;
    for await (const msg of await consumer.fetch({ max_messages: BATCH, expires: 1_000 })) {
      got++;
      const entry = entryOf(msg.data, cutoff, opts.retentionDays);
      if (entry) batch.push(entry);
      else counts.skipped++;
      if (msg.seq >= lastSeq || msg.info.pending === 0) done = true;
    }
    const written = await write(opts.store, table, batch);
    counts.events += got;
    counts.entries += written;
    counts.skipped += batch.length - written;
    if (got < BATCH) done = true;
  }
  return counts;
}

/** The same rules as the live projector: what it dead-letters or skips, the rebuild leaves out. */
function entryOf(bytes: Uint8Array, nowMs: number, retentionDays: number): ActivityEntry | null {
  let event: unknown;
  try {
    event = decodeJson(bytes);
  } catch {
    return null;
  }
  if (!checker(EventEnvelope).Check(event)) return null;
  try {
    const entry = toActivityEntry(event);
    return isExpired(entry.occurredAt, nowMs, retentionDays) ? null : entry;
  } catch (err) {
    if (err instanceof InvalidEvent) return null;
    throw err;
  }
}

/** Writes a batch; when the store refuses one entry of it, writes them one by one without it. */
async function write(store: Store, table: string, entries: ActivityEntry[]): Promise<number> {
  const put = async (tx: Sql, some: ActivityEntry[]) => {
    await insertEntries(tx, table, some);
    await rememberUsers(tx, some);
    // As the live projector does: a deleted user's entries replayed before their deletion are erased.
    await eraseDeletedUsers(tx, [table], some);
  };
  try {
    await store.db.transaction((tx) => put(tx, entries));
    return entries.length;
  } catch (err) {
    if (!isRefusedData(err)) throw err;
  }
  let written = 0;
  for (const entry of entries) {
    try {
      await store.db.transaction((tx) => put(tx, [entry]));
      written++;
    } catch (err) {
      if (!isRefusedData(err)) throw err;
    }
  }
  return written;
}

async function swap(store: Store, version: number, previous: number): Promise<void> {
  await store.db.transaction(async (tx) => {
    const versions = await readVersions(tx, 'update');
    if (versions.building !== version) throw new Error(`version ${version} is no longer the one being built`);
    await tx.execute('update activity_log_versions set live = ?, building = null, building_heartbeat = null', [version]);
    await tx.execute(`create or replace view activity_log as select * from ${tableName(version)}`);
  });
  await store.db.execute(`drop table if exists ${tableName(previous)}`);
}

async function abandon(store: Store, version: number): Promise<void> {
  await store.db.transaction(async (tx) => {
    const versions = await readVersions(tx, 'update');
    if (versions.building !== version) return;
    await tx.execute('update activity_log_versions set building = null, building_heartbeat = null');
    await tx.execute(`drop table if exists ${tableName(version)}`);
  });
}

import type { NatsConnection } from '@nats-io/transport-node';
import pg from 'pg';
import type { Logger } from 'pino';
import { StreamPublisher } from '../bus/stream-publisher.js';
import { startBackgroundLoop } from '../lifecycle/background-loop.js';

export interface OutboxRelayOptions {
  nc: NatsConnection;
  /** The service's own database URL. */
  databaseUrl: string;
  logger: Logger;
  /** How often a standby replica tries for the lock, and the fallback poll when no NOTIFY comes. */
  pollMs?: number;
  /** Rows deleted between two vacuums of the outbox. */
  vacuumAfterRows?: number;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

const LOCK_KEY = 'outbox_relay';
const BATCH = 256;
/** How long a drain waits for the stream's acks before it counts as failed and starts over. */
const ACK_TIMEOUT_MS = 5000;
/**
 * Every published row is deleted, so the outbox is a queue table: its dead rows pile up between
 * autovacuum runs (a minute apart at best, never where autovacuum is off) and every drain walks
 * over them — 55,000 of them, 42 MB, after 90 s of refreshes at 1,900/s. The relay vacuums it
 * itself after this many deletes: about a millisecond each time.
 */
const VACUUM_AFTER_ROWS = 2000;

/**
 * Publishes committed outbox rows to JetStream in commit order, with `Nats-Msg-Id` = event id so
 * a re-publish after a crash is dropped. One replica per service holds the advisory lock; the
 * others wait for it. LISTEN/NOTIFY wakes the holder as soon as a transaction commits.
 */
export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const pollMs = opts.pollMs ?? 1000;
  const vacuumAfterRows = opts.vacuumAfterRows ?? VACUUM_AFTER_ROWS;
  const publisher = new StreamPublisher(opts.nc);
  let client: pg.Client | undefined;
  let holding = false;
  let sinceVacuum = 0;

  // Rows on the stream, deleted by the relay's next statement: a drain deletes what the one
  // before it published while it reads what comes next, one round trip instead of two. Left
  // undeleted by a crash, they are published again and the stream drops them.
  let published: string[] = [];

  /** Publishes every committed row; answers how many rows it deleted. */
  const drain = async (db: pg.Client) => {
    let deleted = 0;
    for (;;) {
      // The payload as the text it is stored as: published as it is, never parsed and re-encoded.
      // The select sees the rows its own delete removes (one snapshot): it skips them by position.
      const { rows } = await db.query<{ position: string; event_id: string; subject: string; payload: string; traceparent: string | null }>(
        {
          name: 'outbox_drain',
          text: `with sent as (delete from outbox where position = any($1::bigint[]))
         select position, event_id, subject, payload::text as payload, payload->'meta'->>'traceparent' as traceparent
         from outbox where position <> all($1::bigint[]) order by position limit $2`,
          values: [published, BATCH],
        },
      );
      deleted += published.length;
      published = [];
      if (rows.length === 0) return deleted;
      // Sent together, in order, on one connection: the server stores them in that order, and
      // the acks are awaited together. A failed publish leaves every row for the next drain,
      // whose re-publishes of the stored ones the stream drops by `Nats-Msg-Id`.
      await publisher.publishAll(
        rows.map((row) => ({ subject: row.subject, payload: row.payload, msgId: row.event_id, traceparent: row.traceparent })),
        ACK_TIMEOUT_MS,
      );
      published = rows.map((r) => r.position);
      // A full batch means more are waiting; otherwise the next wake-up deletes these.
      if (rows.length < BATCH) return deleted;
    }
  };

  const connect = async () => {
    const db = new pg.Client({ connectionString: opts.databaseUrl, keepAlive: true });
    client = db;
    db.on('error', (err) => opts.logger.warn({ err }, 'outbox relay connection failed'));
    await db.connect();
    db.on('notification', () => loop.wake());
    await db.query('listen outbox');
    // The drain reads the oldest rows by position: through the index, never a scan of every page
    // the table has ever grown to (what the planner picks for a table it believes nearly empty).
    await db.query('set enable_seqscan = off');
    // A delete lost in a crash only re-publishes rows the stream drops: no need to wait for the WAL flush.
    await db.query('set synchronous_commit = off');
    return db;
  };

  const disconnect = async () => {
    await client?.end().catch(() => {});
    client = undefined;
    holding = false;
    sinceVacuum = 0;
  };

  /** Connects and takes the lock when it has neither; the holder then drains. */
  const step = async () => {
    try {
      const db = client ?? (await connect());
      if (!holding) {
        const { rows } = await db.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [LOCK_KEY]);
        holding = rows[0]?.locked === true;
        if (!holding) return;
      }
      sinceVacuum += await drain(db);
      if (sinceVacuum >= vacuumAfterRows) {
        await db.query('vacuum outbox');
        sinceVacuum = 0;
      }
    } catch (err) {
      await disconnect();
      throw err;
    }
  };

  // A NOTIFY that comes while the relay is busy (publishing, deleting) is kept for the next sleep,
  // which then returns at once: otherwise that row waits a whole poll. A failure retries within a
  // poll too (no longer back-off): events flow again as soon as PostgreSQL is back.
  const loop = startBackgroundLoop({ name: 'outbox relay', logger: opts.logger, intervalMs: pollMs, maxBackoffMs: pollMs, step });

  return {
    async stop() {
      await loop.stop();
      // A relay that stops leaves none of what it published for the next one to publish again.
      if (client && published.length > 0) {
        await client.query('delete from outbox where position = any($1::bigint[])', [published]).catch(() => {});
        published = [];
      }
      await disconnect();
      publisher.close();
    },
  };
}

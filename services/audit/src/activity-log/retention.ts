import { type Logger, type Store, startBackgroundLoop } from '@headlesskey/platform';
import { readVersions, tableName } from './projection.js';

export interface RetentionOptions {
  store: Store;
  /** The `log_retention_days` setting in force now. */
  retentionDays: () => number;
  intervalMs: number;
  logger: Logger;
}

export interface RunningRetention {
  stop(): Promise<void>;
}

/** Entries before this instant are past retention. */
export function retentionCutoff(nowMs: number, retentionDays: number): Date {
  return new Date(nowMs - retentionDays * 86_400_000);
}

const BATCH = 5000;
const LOCK = 'audit_retention';

/**
 * Deletes entries past retention from every table of the projection, in batches. Each batch holds
 * a transaction-scoped advisory lock, so replicas purging at once take turns rather than collide.
 * Answers how many rows went, or null when another replica held the lock.
 */
export async function purgeOnce(store: Store, cutoff: Date): Promise<number | null> {
  let total = 0;
  for (;;) {
    const deleted = await store.db.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(hashtext(?)) as locked', [LOCK]);
      if (!lock?.locked) return null;
      const versions = await readVersions(tx, 'share');
      let n = 0;
      for (const version of [versions.live, versions.building]) {
        if (version === null) continue;
        const table = tableName(version);
        const rows = await tx.execute<{ event_id: string }[]>(
          `delete from ${table} where event_id in (select event_id from ${table} where occurred_at < ? limit ${BATCH}) returning event_id`,
          [cutoff.toISOString()],
        );
        n += rows.length;
      }
      return n;
    });
    if (deleted === null) return total === 0 ? null : total;
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

/** Purges at start and then every `intervalMs`, until stopped. */
export function startRetention(opts: RetentionOptions): RunningRetention {
  return startBackgroundLoop({
    name: 'activity log purge',
    logger: opts.logger,
    intervalMs: opts.intervalMs,
    async step() {
      const purged = await purgeOnce(opts.store, retentionCutoff(Date.now(), opts.retentionDays()));
      if (purged) opts.logger.info({ purged }, 'activity log entries past retention purged');
    },
  });
}

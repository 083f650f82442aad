import type { Sql } from '@headlesskey/platform';
import type { Counter } from './counter.js';

interface CounterRow {
  key: string;
  failures: number;
  window_start: number | null;
  locked_until: number | null;
  streak: number;
  now: number;
}

export interface LockedCounters {
  /** The database's clock, so every replica decides on the same time. */
  now: number;
  counters: Map<string, Counter>;
}

/**
 * Creates the counters that do not exist yet and locks them all until the transaction ends, in
 * key order so that two transactions over the same keys never deadlock. Replicas and restarts all
 * see one count: concurrent attempts on a key queue here, one decision at a time.
 */
export async function lockCounters(tx: Sql, keys: readonly string[]): Promise<LockedCounters> {
  const sorted = [...new Set(keys)].sort();
  // Nothing to lock, and no decision will read the time.
  if (sorted.length === 0) return { now: Number.NaN, counters: new Map() };
  const rows = await tx.execute<CounterRow[]>(
    `insert into attempt_counters (key)
     select k from jsonb_array_elements_text(?::jsonb) as k order by k
     on conflict (key) do update set key = excluded.key
     returning key, failures, streak,
       (extract(epoch from window_start) * 1000)::float8 as window_start,
       (extract(epoch from locked_until) * 1000)::float8 as locked_until,
       (extract(epoch from clock_timestamp()) * 1000)::float8 as now`,
    [JSON.stringify(sorted)],
  );
  const counters = new Map<string, Counter>();
  for (const row of rows) {
    counters.set(row.key, { failures: row.failures, windowStart: row.window_start, lockedUntil: row.locked_until, streak: row.streak });
  }
  return { now: Math.max(...rows.map((row) => row.now)), counters };
}

/**
 * Reads counters without locking them, for a throttle that only looks for a lock before the
 * secret is checked (an IP): honest logins sharing an address never queue on its row.
 */
export async function readCounters(tx: Sql, keys: readonly string[]): Promise<LockedCounters> {
  const rows = await tx.execute<CounterRow[]>(
    `select k.key, c.failures, c.streak,
       (extract(epoch from c.window_start) * 1000)::float8 as window_start,
       (extract(epoch from c.locked_until) * 1000)::float8 as locked_until,
       (extract(epoch from clock_timestamp()) * 1000)::float8 as now
     from jsonb_array_elements_text(?::jsonb) as k(key) left join attempt_counters c on c.key = k.key`,
    [JSON.stringify([...new Set(keys)])],
  );
  const counters = new Map<string, Counter>();
  for (const row of rows) {
    counters.set(row.key, {
      failures: row.failures ?? 0,
      windowStart: row.window_start,
      lockedUntil: row.locked_until,
      streak: row.streak ?? 0,
    });
  }
  return { now: Math.max(...rows.map((row) => row.now)), counters };
}

/** The keys of the counters under `prefix` (an account's per-client counters). */
export async function keysUnder(tx: Sql, prefix: string): Promise<string[]> {
  const rows = await tx.execute<{ key: string }[]>('select key from attempt_counters where starts_with(key, ?)', [prefix]);
  return rows.map((row) => row.key);
}

/** Writes decided counters back, in the transaction that locked them. */
export async function saveCounters(tx: Sql, counters: ReadonlyMap<string, Counter>): Promise<void> {
  if (counters.size === 0) return;
  const rows = [...counters].map(([key, c]) => ({
    key,
    failures: c.failures,
    window_start: c.windowStart,
    locked_until: c.lockedUntil,
    streak: c.streak,
  }));
  await tx.execute(
    `update attempt_counters c
     set failures = x.failures, streak = x.streak, updated_at = now(),
       window_start = to_timestamp(x.window_start / 1000.0), locked_until = to_timestamp(x.locked_until / 1000.0)
     from jsonb_to_recordset(?::jsonb) as x(key text, failures int, window_start float8, locked_until float8, streak int)
     where c.key = x.key`,
    [JSON.stringify(rows)],
  );
}

/** Forgets counters nobody has touched for two days: by then none of them holds a lock or a streak. */
export async function sweepCounters(tx: Sql): Promise<number> {
  const rows = await tx.execute<{ key: string }[]>(
    `delete from attempt_counters
     where updated_at < now() - interval '2 days' and (locked_until is null or locked_until < now() - interval '1 day')
     returning key`,
  );
  return rows.length;
}

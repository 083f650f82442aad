/**
 * Whether an error says the database is out of reach (down, restarting, failing over, out of
 * connections) rather than that a statement was wrong: the caller answers
 * `headlesskey_unavailable` (503, try again) instead of an internal error, and the pool
 * reconnects by itself once the server is back.
 */
export function isDatabaseOutage(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  if (OUTAGE_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return OUTAGE_MESSAGES.some((known) => message.includes(known));
}

/**
 * SQLSTATEs of a server going away or not taking connections (class 08, connection exceptions,
 * is matched whole): 57P01 admin_shutdown (a fast stop or restart), 57P02 crash_shutdown,
 * 57P03 cannot_connect_now (starting up, shutting down, in recovery), 53300 too_many_connections,
 * 25006 read_only_sql_transaction (a standby not yet promoted in a failover).
 */
const OUTAGE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '25006']);

/** Socket errors of a connection refused, reset or unanswered. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** What node-postgres says, without a code, when it loses or cannot get a connection. */
const OUTAGE_MESSAGES = [
  'Connection terminated',
  'connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
];

/** The longest wait between two tries of work held through a database outage. */
const OUTAGE_RETRY_MAX_MS = 2000;

export interface OutageOptions {
  /** Give up (throw the outage) once this is true: the caller is stopping, or its time is out. */
  giveUp(): boolean;
  /** Called before each wait, with the try that just failed (1 for the first). */
  onWait?(attempt: number, err: unknown): void;
}

/**
 * Runs `work` again, with a growing pause, while it fails because the database is out of reach:
 * an outage is no fault of the work, and a restart or failover lasts seconds. Any other error,
 * or an outage once `giveUp()` says so, is thrown.
 */
export async function throughDatabaseOutages<T>(work: () => Promise<T>, opts: OutageOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isDatabaseOutage(err) || opts.giveUp()) throw err;
      opts.onWait?.(attempt, err);
      await new Promise((resolve) => setTimeout(resolve, Math.min(OUTAGE_RETRY_MAX_MS, 50 * 2 ** attempt)));
    }
  }
}

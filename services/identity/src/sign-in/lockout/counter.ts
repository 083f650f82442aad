/*
 * The brute-force counter of one thing (an account, a typed name, a client IP, an account's
 * reset codes) as a pure decider: time arrives on each command, nothing is read from a clock.
 *
 * A counter counts either *before* the secret is checked (`Attempt`, then `Fail` or `Clear`) or
 * *after* it (`Check`, then `Record` on a failure). Counting before is exact under concurrency:
 * N parallel guesses cannot all pass the check before the first failure lands, so no more than
 * the limit are ever checked. Its price is that attempts in flight count until they settle, which
 * is right for one account and wrong for an IP shared by many honest users logging in at once:
 * an IP counts after, and may overshoot its limit by the attempts in flight when it is reached
 * (each of which still passes its own account's exact count).
 */

/** What one counter holds between attempts. */
export interface Counter {
  /** Failures in the current window; for a counter that counts before, attempts in flight too. */
  failures: number;
  /** Epoch ms when the window opened; null before the first counted attempt. */
  windowStart: number | null;
  /** Epoch ms until which attempts are refused; kept after it passes, to recognise a repeat. */
  lockedUntil: number | null;
  /** Locks since the last success: each one doubles the next. */
  streak: number;
}

export interface Limits {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
}

export type CounterCommand =
  /** Someone is about to check a secret: count it, or refuse while locked. */
  | { type: 'Attempt'; at: number }
  /** The counted attempt failed; `armed` when it was the one that set the lock. */
  | { type: 'Fail'; at: number; armed: boolean }
  /** A success or an administrator: forget every failure and any lock. */
  | { type: 'Clear'; at: number }
  /** Someone is about to check a secret: refuse while locked, count nothing yet. */
  | { type: 'Check'; at: number }
  /** A checked secret was wrong: count it, and lock when it reaches the limit. */
  | { type: 'Record'; at: number };

export type Verdict =
  | { kind: 'counted'; armed: boolean }
  | { kind: 'refused'; retryAfterMs: number }
  /** A lock took effect: the moment to raise `auth.account.locked` or `auth.ip.blocked`. */
  | { kind: 'locked'; until: number; durationMs: number }
  | { kind: 'none' };

export interface CounterDecision {
  counter: Counter;
  verdict: Verdict;
}

export const FRESH_COUNTER: Counter = Object.freeze({ failures: 0, windowStart: null, lockedUntil: null, streak: 0 });

/** A lock that ended this long ago no longer doubles the next one. */
export const STREAK_MEMORY_MS = 24 * 3600_000;
/** Doubling stops here (or at the configured lockout, when that is longer). */
export const MAX_LOCK_MS = 24 * 3600_000;

const none: Verdict = { kind: 'none' };

/** Decides one command on one counter: its next state, and whether it refuses, counts or locks. */
export function decideCounter(command: CounterCommand, counter: Counter, limits: Limits): CounterDecision {
  switch (command.type) {
    case 'Attempt':
      return attempt(counter, limits, command.at);
    case 'Fail':
      return { counter, verdict: failed(counter, command.armed, command.at) };
    case 'Clear':
      return { counter: { ...FRESH_COUNTER }, verdict: none };
    case 'Check':
      return { counter, verdict: lockedAt(counter, command.at) ?? { kind: 'counted', armed: false } };
    case 'Record':
      return record(counter, limits, command.at);
    default:
      return assertNever(command);
  }
}

function attempt(c: Counter, limits: Limits, at: number): CounterDecision {
  const refused = lockedAt(c, at);
  if (refused) return { counter: c, verdict: refused };
  const next = countOne(c, limits, at);
  // The last allowed attempt sets the lock now, so parallel attempts are refused while it is checked.
  return { counter: next, verdict: { kind: 'counted', armed: next.lockedUntil !== c.lockedUntil } };
}

function record(c: Counter, limits: Limits, at: number): CounterDecision {
  // A failure that was in flight when the lock began adds nothing to it.
  if (lockedAt(c, at)) return { counter: c, verdict: none };
  const next = countOne(c, limits, at);
  if (next.lockedUntil === c.lockedUntil || next.lockedUntil === null) return { counter: next, verdict: none };
  return { counter: next, verdict: { kind: 'locked', until: next.lockedUntil, durationMs: next.lockedUntil - at } };
}

/** One more failure in the window, and the lock when it reaches the limit. */
function countOne(c: Counter, limits: Limits, at: number): Counter {
  const streak = c.lockedUntil !== null && at - c.lockedUntil >= STREAK_MEMORY_MS ? 0 : c.streak;
  // A window never spans a lock: once it has passed, counting starts over (and the next lock doubles).
  const fresh =
    c.windowStart === null || at >= c.windowStart + limits.windowMs || (c.lockedUntil !== null && c.windowStart < c.lockedUntil);
  const failures = (fresh ? 0 : c.failures) + 1;
  const windowStart = fresh ? at : c.windowStart;
  if (failures < limits.maxAttempts) return { ...c, failures, windowStart, streak };
  return { failures, windowStart, lockedUntil: at + lockDuration(limits.lockoutMs, streak), streak: streak + 1 };
}

function lockedAt(c: Counter, at: number): Verdict | undefined {
  return c.lockedUntil !== null && at < c.lockedUntil ? { kind: 'refused', retryAfterMs: c.lockedUntil - at } : undefined;
}

function failed(c: Counter, armed: boolean, at: number): Verdict {
  if (!armed || c.lockedUntil === null || c.lockedUntil <= at) return none;
  return { kind: 'locked', until: c.lockedUntil, durationMs: c.lockedUntil - at };
}

/** `lockout`, doubled for each lock since the last success, capped at a day. */
export function lockDuration(lockoutMs: number, streak: number): number {
  return Math.min(lockoutMs * 2 ** Math.min(streak, 20), Math.max(lockoutMs, MAX_LOCK_MS));
}

function assertNever(value: never): never {
  throw new Error(`unhandled counter command ${JSON.stringify(value)}`);
}

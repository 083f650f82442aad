import { describe, expect, it } from 'vitest';
import { type Counter, type CounterCommand, decideCounter, FRESH_COUNTER, type Limits, lockDuration, STREAK_MEMORY_MS } from './counter.js';

const MIN = 60_000;
const limits: Limits = { maxAttempts: 3, windowMs: 15 * MIN, lockoutMs: 15 * MIN };
const T0 = Date.UTC(2030, 0, 1);

/** Given these commands from a fresh counter, the counter they leave. */
function given(...commands: CounterCommand[]): Counter {
  return commands.reduce((c, command) => decideCounter(command, c, limits).counter, FRESH_COUNTER as Counter);
}
const when = (command: CounterCommand, counter: Counter) => decideCounter(command, counter, limits);
const attempt = (at: number): CounterCommand => ({ type: 'Attempt', at });
const fail = (at: number, armed = false): CounterCommand => ({ type: 'Fail', at, armed });
/** `n` failed attempts one second apart from `from`; the last one is the arming one when it reaches the limit. */
function failures(n: number, from = T0): CounterCommand[] {
  return Array.from({ length: n }, (_, i) => [attempt(from + i * 1000), fail(from + i * 1000, i + 1 === limits.maxAttempts)]).flat();
}

describe('attempt counter', () => {
  it('given no attempts, an attempt is counted and not armed', () => {
    const { counter, verdict } = when(attempt(T0), given());
    expect(verdict).toEqual({ kind: 'counted', armed: false });
    expect(counter).toMatchObject({ failures: 1, windowStart: T0, lockedUntil: null });
  });

  it('given max-1 failures, the next attempt is counted armed and locks at once', () => {
    const { counter, verdict } = when(attempt(T0 + 5000), given(...failures(2)));
    expect(verdict).toEqual({ kind: 'counted', armed: true });
    expect(counter.lockedUntil).toBe(T0 + 5000 + 15 * MIN);
  });

  it('given an armed attempt in flight, a parallel attempt is refused: no more than max attempts are ever checked', () => {
    const state = given(...failures(2), attempt(T0 + 5000));
    const { verdict } = when(attempt(T0 + 5001), state);
    expect(verdict).toEqual({ kind: 'refused', retryAfterMs: 15 * MIN - 1 });
  });

  it('given the armed attempt failed, the lock is raised as a fact', () => {
    const state = given(...failures(2), attempt(T0 + 5000));
    expect(when(fail(T0 + 5100, true), state).verdict).toEqual({ kind: 'locked', until: T0 + 5000 + 15 * MIN, durationMs: 15 * MIN - 100 });
  });

  it('given a failure that did not arm, nothing is raised', () => {
    expect(when(fail(T0, false), given(attempt(T0))).verdict).toEqual({ kind: 'none' });
  });

  it('given a lock, even the right password is refused until it ends, then counting starts over', () => {
    const locked = given(...failures(3));
    const until = locked.lockedUntil ?? 0;
    expect(when(attempt(until - 1), locked).verdict).toEqual({ kind: 'refused', retryAfterMs: 1 });
    const after = when(attempt(until), locked);
    expect(after.verdict).toEqual({ kind: 'counted', armed: false });
    expect(after.counter).toMatchObject({ failures: 1, windowStart: until });
  });

  it('given a repeat lock, it lasts twice as long, and four times the next time', () => {
    const first = given(...failures(3));
    const second = given(...failures(3), ...failures(3, first.lockedUntil ?? 0));
    const secondStart = (first.lockedUntil ?? 0) + 2000;
    expect(second.lockedUntil).toBe(secondStart + 30 * MIN);
    const third = given(...failures(3), ...failures(3, first.lockedUntil ?? 0), ...failures(3, second.lockedUntil ?? 0));
    expect((third.lockedUntil ?? 0) - ((second.lockedUntil ?? 0) + 2000)).toBe(60 * MIN);
  });

  it('given a lock that ended more than a day ago, the next lock is not doubled', () => {
    const first = given(...failures(3));
    const later = (first.lockedUntil ?? 0) + STREAK_MEMORY_MS;
    const next = given(...failures(3), ...failures(3, later));
    expect((next.lockedUntil ?? 0) - (later + 2000)).toBe(15 * MIN);
  });

  it('given failures older than the window, they no longer count', () => {
    const state = given(...failures(2));
    const { counter, verdict } = when(attempt(T0 + 16 * MIN), state);
    expect(verdict).toEqual({ kind: 'counted', armed: false });
    expect(counter.failures).toBe(1);
  });

  it('given failures, a success (Clear) forgets them, the lock and the streak', () => {
    const state = given(...failures(3));
    expect(when({ type: 'Clear', at: T0 + 10_000 }, state).counter).toEqual(FRESH_COUNTER);
  });

  it('given nothing counted, Check lets attempts through without counting them: honest logins in flight never block', () => {
    const { counter, verdict } = when({ type: 'Check', at: T0 }, given());
    expect(verdict).toEqual({ kind: 'counted', armed: false });
    expect(counter).toEqual(FRESH_COUNTER);
  });

  it('given max-1 recorded failures, the next Record locks and raises the lock', () => {
    const record = (at: number): CounterCommand => ({ type: 'Record', at });
    const state = given(record(T0), record(T0 + 1000));
    expect(when(record(T0 + 2000), state)).toEqual({
      counter: { failures: 3, windowStart: T0, lockedUntil: T0 + 2000 + 15 * MIN, streak: 1 },
      verdict: { kind: 'locked', until: T0 + 2000 + 15 * MIN, durationMs: 15 * MIN },
    });
  });

  it('given a recorded lock, Check refuses, and a failure that was in flight adds nothing', () => {
    const record = (at: number): CounterCommand => ({ type: 'Record', at });
    const locked = given(record(T0), record(T0 + 1), record(T0 + 2));
    expect(when({ type: 'Check', at: T0 + 10 }, locked).verdict).toEqual({ kind: 'refused', retryAfterMs: 15 * MIN - 8 });
    expect(when(record(T0 + 10), locked)).toEqual({ counter: locked, verdict: { kind: 'none' } });
  });

  it('given a limit lowered below the count, the next attempt arms at once', () => {
    const state = given(attempt(T0), fail(T0), attempt(T0 + 1), fail(T0 + 1));
    const { verdict } = decideCounter(attempt(T0 + 2), state, { ...limits, maxAttempts: 1 });
    expect(verdict).toEqual({ kind: 'counted', armed: true });
  });
});

describe('lock duration', () => {
  it('doubles per lock since the last success, capped at a day', () => {
    expect(lockDuration(15 * MIN, 0)).toBe(15 * MIN);
    expect(lockDuration(15 * MIN, 3)).toBe(120 * MIN);
    expect(lockDuration(15 * MIN, 12)).toBe(24 * 60 * MIN);
    expect(lockDuration(24 * 60 * MIN, 5)).toBe(24 * 60 * MIN);
  });
});

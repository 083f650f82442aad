import type { EventMeta } from '@headlesskey/contracts';
import {
  appendAtEnd,
  type DomainError,
  type NewEvent,
  retryOnConflict,
  type Sql,
  type Store,
  type StoreScope,
} from '@headlesskey/platform';
import { type Counter, type CounterCommand, decideCounter, type Limits } from './counter.js';
import { type LockedCounters, lockCounters, readCounters, saveCounters } from './store.js';

/** Where settled facts go, and the metadata of the request that caused them. */
export interface FactContext {
  scope: StoreScope;
  meta: EventMeta;
}

/** Facts to append to one stream. */
export interface StreamFacts {
  stream: string;
  events: NewEvent[];
}

/** One counter an attempt goes through, and what its refusal and its lock look like. */
export interface Throttle {
  key: string;
  limits: Limits;
  /**
   * `before`: every attempt counts before its secret is checked, and a success clears the count
   * (an account, its codes). `after`: only failures count, once known (an IP; see `counter.ts`).
   */
  counts: 'before' | 'after';
  /** The answer while it is locked. */
  refusal(retryAfterSeconds: number): DomainError;
  /** The event raised when a lock takes effect, if any. */
  lockedFacts?(until: Date, seconds: number): StreamFacts;
}

/** An attempt that every throttle let through; settle it once its secret has been checked. */
export interface Pass {
  throttles: readonly (Throttle & { armed: boolean })[];
}

/**
 * Lets one attempt through every throttle, in the order given (the first refusal wins and nothing
 * is counted), before any password is checked. Throws the refusal of a locked throttle.
 */
export function openGate(store: Store, throttles: readonly Throttle[]): Promise<Pass> {
  return retryOnConflict(store, async (tx) => {
    const { now, counters } = await countersFor(tx, throttles);
    const next = new Map<string, Counter>();
    const passed: (Throttle & { armed: boolean })[] = [];
    for (const throttle of throttles) {
      const command: CounterCommand = { type: throttle.counts === 'before' ? 'Attempt' : 'Check', at: now };
      const { counter, verdict } = decideCounter(command, counterOf(counters, throttle.key), throttle.limits);
      if (verdict.kind === 'refused') throw throttle.refusal(Math.ceil(verdict.retryAfterMs / 1000));
      if (verdict.kind !== 'counted') throw new Error(`an attempt decided ${verdict.kind}`);
      if (throttle.counts === 'before') next.set(throttle.key, counter);
      passed.push({ ...throttle, armed: verdict.armed });
    }
    await saveCounters(tx, next);
    return { throttles: passed };
  });
}

/** Locks the counters that count before the check; only reads those that count after it. */
async function countersFor(tx: Sql, throttles: readonly Throttle[]): Promise<LockedCounters> {
  const before = throttles.filter((t) => t.counts === 'before').map((t) => t.key);
  const after = throttles.filter((t) => t.counts === 'after').map((t) => t.key);
  const locked = before.length > 0 ? await lockCounters(tx, before) : undefined;
  const read = after.length > 0 ? await readCounters(tx, after) : undefined;
  return {
    now: Math.max(locked?.now ?? 0, read?.now ?? 0),
    counters: new Map([...(locked?.counters ?? []), ...(read?.counters ?? [])]),
  };
}

/**
 * Settles a pass inside the caller's transaction: a failure is counted or makes an armed lock
 * real (raising the lock's event), a success clears what counted before. `facts` are appended in
 * the same transaction, so a counted failure and its `auth.login.failed` commit together.
 */
export async function settle(
  tx: Sql,
  ctx: FactContext,
  pass: Pass,
  outcome: 'failure' | 'success',
  facts: readonly StreamFacts[] = [],
): Promise<void> {
  // Only what changes is locked: a success leaves an IP's row alone.
  const changing = pass.throttles.filter((t) => commandFor(t, outcome, 0) !== undefined);
  const { now, counters } = await lockCounters(
    tx,
    changing.map((t) => t.key),
  );
  const next = new Map<string, Counter>();
  const raised: StreamFacts[] = [...facts];
  for (const throttle of changing) {
    const command = commandFor(throttle, outcome, now);
    if (!command) continue;
    const { counter, verdict } = decideCounter(command, counterOf(counters, throttle.key), throttle.limits);
    next.set(throttle.key, counter);
    if (verdict.kind === 'locked' && throttle.lockedFacts) {
      raised.push(throttle.lockedFacts(new Date(verdict.until), Math.ceil(verdict.durationMs / 1000)));
    }
  }
  await saveCounters(tx, next);
  for (const { stream, events } of raised) await appendAtEnd(tx, ctx.scope, stream, events, ctx.meta);
}

/** `settle` in a transaction of its own. */
export function settleNow(
  store: Store,
  ctx: FactContext,
  pass: Pass,
  outcome: 'failure' | 'success',
  facts: readonly StreamFacts[] = [],
): Promise<void> {
  return retryOnConflict(store, (tx) => settle(tx, ctx, pass, outcome, facts));
}

/** Clears counters outright (an administrator's unlock, a completed reset); says whether any was locked. */
export async function clearCounters(tx: Sql, keys: readonly string[]): Promise<boolean> {
  const { now, counters } = await lockCounters(tx, keys);
  const next = new Map<string, Counter>();
  let wasLocked = false;
  for (const key of keys) {
    const current = counterOf(counters, key);
    wasLocked ||= current.lockedUntil !== null && current.lockedUntil > now;
    next.set(key, decideCounter({ type: 'Clear', at: now }, current, { maxAttempts: 1, windowMs: 1, lockoutMs: 1 }).counter);
  }
  await saveCounters(tx, next);
  return wasLocked;
}

function commandFor(throttle: Throttle & { armed: boolean }, outcome: 'failure' | 'success', at: number): CounterCommand | undefined {
  if (throttle.counts === 'after') return outcome === 'failure' ? { type: 'Record', at } : undefined;
  return outcome === 'failure' ? { type: 'Fail', at, armed: throttle.armed } : { type: 'Clear', at };
}

function counterOf(counters: ReadonlyMap<string, Counter>, key: string): Counter {
  const counter = counters.get(key);
  if (!counter) throw new Error(`counter ${key} was not locked`);
  return counter;
}

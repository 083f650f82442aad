import type { ErrorCode, EventMeta } from '@headlesskey/contracts';
import { DomainError } from '../bus/domain-error.js';
import type { Store } from './database.js';
import { appendToStream, type NewEvent, readStream, retryOnConflict, type StoreScope } from './event-store.js';
import { readManySnapshotted, writeSnapshot } from './snapshots.js';
import type { Sql } from './sql.js';

/** A refusal is a decision too: the command is answered with this code and nothing is written. */
export interface Refusal {
  refused: ErrorCode;
  message?: string;
  details?: Record<string, unknown>;
}

export type Decision<E extends NewEvent> = readonly E[] | Refusal;

/** An aggregate as three pure functions (no clock, no I/O, no randomness). */
export interface Decider<C, E extends NewEvent, S> {
  initialState: S;
  decide(command: C, state: S): Decision<E>;
  evolve(state: S, event: E): S;
  /** The event types `evolve` needs; others in the stream are not read. */
  folds?: readonly E['type'][];
  /**
   * Keep the folded state with each append and read only newer events: for streams that grow
   * without bound. The state must survive JSON unchanged.
   */
  snapshots?: boolean;
}

export const refuse = (refused: ErrorCode, message?: string, details?: Record<string, unknown>): Refusal => ({
  refused,
  message,
  details,
});

export const isRefusal = <E extends NewEvent>(d: Decision<E>): d is Refusal => !Array.isArray(d);

/** Folds events into a state: what `handleCommand` does after reading a stream, and what tests do. */
export function fold<C, E extends NewEvent, S>(decider: Decider<C, E, S>, events: readonly E[]): S {
  return events.reduce(decider.evolve, decider.initialState);
}

export interface DecideOptions<C, E extends NewEvent, S> {
  scope: StoreScope;
  streamId: string;
  decider: Decider<C, E, S>;
  command: C;
  meta: EventMeta;
  /** Updates the read models in the same transaction as the append. */
  project?: (tx: Sql, events: readonly E[], state: S) => Promise<void>;
}

export interface HandleOptions<C, E extends NewEvent, S> extends DecideOptions<C, E, S> {
  store: Store;
}

export interface Decided<E, S> {
  events: E[];
  /** The state before the command, and after its events. */
  before: S;
  state: S;
}

/**
 * Read, decide, append, project — inside the caller's transaction, so one transaction can
 * decide on several streams. A refusal throws its DomainError; a lost race, ConcurrencyError.
 */
export async function decideInTransaction<C, E extends NewEvent, S>(tx: Sql, opts: DecideOptions<C, E, S>): Promise<Decided<E, S>> {
  const { version, before } = await load(tx, opts);
  const decision = opts.decider.decide(opts.command, before);
  if (isRefusal(decision)) throw new DomainError(decision.refused, decision.message, decision.details);
  await appendToStream(tx, opts.scope, opts.streamId, version, decision, opts.meta);
  const state = decision.reduce(opts.decider.evolve, before);
  if (opts.decider.snapshots && decision.length > 0) await writeSnapshot(tx, opts.streamId, version + decision.length, state);
  await opts.project?.(tx, decision, state);
  return { events: [...decision], before, state };
}

async function load<C, E extends NewEvent, S>(tx: Sql, opts: DecideOptions<C, E, S>): Promise<{ version: number; before: S }> {
  if (opts.decider.snapshots) {
    const snap = (await readManySnapshotted(tx, [opts.streamId], opts.decider.initialState)).get(opts.streamId)!;
    return { version: snap.version, before: (snap.events as E[]).reduce(opts.decider.evolve, snap.state) };
  }
  const stream = await readStream(tx, opts.streamId, opts.decider.folds);
  return { version: stream.version, before: fold(opts.decider, stream.events as E[]) };
}

/**
 * One command on one stream in its own transaction. A concurrent append to the same stream
 * makes the command decide again on the newer state; it never overwrites.
 */
export function handleCommand<C, E extends NewEvent, S>(opts: HandleOptions<C, E, S>): Promise<Decided<E, S>> {
  return retryOnConflict(opts.store, (tx) => decideInTransaction(tx, opts));
}

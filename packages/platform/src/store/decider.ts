import type { ErrorCode, EventMeta } from '@headlesskey/contracts';
import { DomainError } from '../bus/domain-error.js';
import type { Store } from './database.js';
import { appendToStreams, type NewEvent, readStream, retryOnConflict, type StoreScope } from './event-store.js';
import { readManySnapshotted, snapshotsWrite } from './snapshots.js';
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
  /** The metadata of the command's events; a function when it depends on the stream's state. */
  meta: EventMeta | ((before: S) => EventMeta);
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
  const { version, state: before } = (await readStreams(tx, opts.decider, [opts.streamId])).get(opts.streamId)!;
  const decision = opts.decider.decide(opts.command, before);
  if (isRefusal(decision)) throw new DomainError(decision.refused, decision.message, decision.details);
  const state = decision.reduce(opts.decider.evolve, before);
  // The snapshot goes with the events, in the append's own statement.
  const snapshot = opts.decider.snapshots ? [snapshotsWrite([{ streamId: opts.streamId, version: version + decision.length, state }])] : [];
  await appendToStreams(
    tx,
    opts.scope,
    [{ streamId: opts.streamId, expectedVersion: version, events: decision, meta: metaOf(opts.meta, before) }],
    snapshot,
  );
  await opts.project?.(tx, decision, state);
  return { events: [...decision], before, state };
}

/** A command's event metadata, given as is or drawn from the stream's state before it. */
export const metaOf = <S>(meta: EventMeta | ((before: S) => EventMeta), before: S): EventMeta =>
  typeof meta === 'function' ? meta(before) : meta;

/** The streams' versions and folded states, keyed by stream id. */
export type LoadedStreams<S> = Map<string, { version: number; state: S }>;

/** Every stream's version and folded state: its snapshot and the events after it, or all its events. */
export async function readStreams<C, E extends NewEvent, S>(
  db: Sql,
  decider: Decider<C, E, S>,
  ids: readonly string[],
): Promise<LoadedStreams<S>> {
  const loaded: LoadedStreams<S> = new Map();
  if (decider.snapshots) {
    for (const [id, snap] of await readManySnapshotted(db, ids, decider.initialState))
      loaded.set(id, { version: snap.version, state: (snap.events as E[]).reduce(decider.evolve, snap.state) });
    return loaded;
  }
  for (const id of ids) {
    const stream = await readStream(db, id, decider.folds);
    loaded.set(id, { version: stream.version, state: fold(decider, stream.events as E[]) });
  }
  return loaded;
}

/**
 * One command on one stream in its own transaction. A concurrent append to the same stream
 * makes the command decide again on the newer state; it never overwrites.
 */
export function handleCommand<C, E extends NewEvent, S>(opts: HandleOptions<C, E, S>): Promise<Decided<E, S>> {
  return retryOnConflict(opts.store, (tx) => decideInTransaction(tx, opts));
}

import type { EventMeta } from '@headlesskey/contracts';
import { type Decided, type Decider, isRefusal, type LoadedStreams, metaOf, type Refusal, readStreams } from './decider.js';
import { type AlsoWrite, appendToStreams, type NewEvent, type StoreScope, type StreamAppend, untilNoConflict } from './event-store.js';
import { snapshotsWrite } from './snapshots.js';
import type { Sql } from './sql.js';

export interface StreamCommand<C, S> {
  streamId: string;
  command: C;
  /** The metadata of the command's events; a function when it depends on the stream's state. */
  meta: EventMeta | ((before: S) => EventMeta);
}

export interface DecideManyOptions<C, E extends NewEvent, S> {
  scope: StoreScope;
  decider: Decider<C, E, S>;
  commands: readonly StreamCommand<C, S>[];
  /** The read model's update for what was decided, written in the same statement as the events. */
  project?: (decided: readonly (Decided<E, S> | Refusal)[]) => AlsoWrite | undefined;
  /** The streams, read already (`readStreams`) while the caller did other work: the first attempt decides on them. */
  read?: Promise<LoadedStreams<S>>;
}

/**
 * Many commands on many streams of one aggregate, in two statements however many there are:
 * one read of every stream, then one write of every event, their outbox rows, the snapshots and
 * the read model's update — one atomic statement, so no transaction is held open in between.
 * Each command is decided on its own stream's state (a second command on a stream sees the first
 * one's events); a refusal answers its own command and writes nothing for it. When any stream
 * moved since it was read, or the server ended the write to break a deadlock, nothing is written
 * and all of them are read and decided again.
 * The answers are in the commands' order.
 */
export async function decideMany<C, E extends NewEvent, S>(
  db: Sql,
  opts: DecideManyOptions<C, E, S>,
): Promise<(Decided<E, S> | Refusal)[]> {
  const ids = [...new Set(opts.commands.map((c) => c.streamId))];
  return untilNoConflict(async (attempt) => {
    const streams =
      attempt === 1 && opts.read ? await completed(db, opts.decider, await opts.read, ids) : await readStreams(db, opts.decider, ids);
    const { outcomes, appends, finals } = decideAll(opts, streams);
    // Every batch writes its streams in one order (a stream's own appends keep theirs: the sort is
    // stable), so two batches sharing streams wait for each other instead of deadlocking.
    appends.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    // Each changed stream's snapshot is its state after all of its commands.
    const snapshots = opts.decider.snapshots
      ? [...new Set(appends.map((a) => a.streamId))].map((id) => ({ streamId: id, ...finals.get(id)! }))
      : [];
    const projection = opts.project?.(outcomes);
    const also = [...(snapshots.length > 0 ? [snapshotsWrite(snapshots)] : []), ...(projection ? [projection] : [])];
    await appendToStreams(db, opts.scope, appends, also);
    return outcomes;
  });
}

/** The streams read ahead, and any of `ids` the caller did not read. */
async function completed<C, E extends NewEvent, S>(db: Sql, decider: Decider<C, E, S>, read: LoadedStreams<S>, ids: readonly string[]) {
  const missing = ids.filter((id) => !read.has(id));
  if (missing.length === 0) return read;
  return new Map([...read, ...(await readStreams(db, decider, missing))]);
}

export const isDecided = <E, S>(outcome: Decided<E, S> | Refusal): outcome is Decided<E, S> => !('refused' in outcome);

/** Decides every command on the streams as read, folding each stream forward as it goes. */
function decideAll<C, E extends NewEvent, S>(opts: DecideManyOptions<C, E, S>, read: LoadedStreams<S>) {
  const finals = new Map([...read].map(([id, s]) => [id, { ...s }]));
  const appends: (StreamAppend & { events: E[] })[] = [];
  const outcomes = opts.commands.map(({ streamId, command, meta }): Decided<E, S> | Refusal => {
    const stream = finals.get(streamId) ?? { version: 0, state: opts.decider.initialState };
    finals.set(streamId, stream);
    const decision = opts.decider.decide(command, stream.state);
    if (isRefusal(decision)) return decision;
    const before = stream.state;
    stream.state = decision.reduce(opts.decider.evolve, before);
    if (decision.length > 0) {
      // A stream's second command appends after its first.
      appends.push({
        streamId,
        expectedVersion: stream.version,
        events: [...decision],
        meta: metaOf(meta, before),
      });
      stream.version += decision.length;
    }
    return { events: [...decision], before, state: stream.state };
  });
  return { outcomes, appends, finals };
}

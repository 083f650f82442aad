import type { EventMeta } from '@headlesskey/contracts';
import { type Decided, type Decider, fold, isRefusal, type Refusal } from './decider.js';
import { appendToStreams, type NewEvent, readStream, type StoreScope, type StreamAppend } from './event-store.js';
import { readManySnapshotted, writeSnapshots } from './snapshots.js';
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
}

/**
 * Many commands on many streams of one aggregate, decided in the caller's transaction with a
 * fixed number of statements however many there are: the streams are read together, each
 * command is decided on its own stream's state (a second command on a stream sees the first
 * one's events), and every event is appended in one statement. A refusal answers its own
 * command and writes nothing for it; a lost race on any stream throws `ConcurrencyError` and
 * the transaction, run again, decides them all on the newer state. The answers are in the
 * commands' order; the caller projects them in the same transaction.
 */
export async function decideMany<C, E extends NewEvent, S>(
  tx: Sql,
  opts: DecideManyOptions<C, E, S>,
): Promise<(Decided<E, S> | Refusal)[]> {
  const streams = await loadStreams(tx, opts.decider, [...new Set(opts.commands.map((c) => c.streamId))]);
  const appends = new Map<string, StreamAppend & { events: E[] }>();
  const outcomes = opts.commands.map(({ streamId, command, meta }): Decided<E, S> | Refusal => {
    const stream = streams.get(streamId)!;
    const decision = opts.decider.decide(command, stream.state);
    if (isRefusal(decision)) return decision;
    const before = stream.state;
    stream.state = decision.reduce(opts.decider.evolve, before);
    if (decision.length > 0) {
      // A stream's second command appends after its first: one append per stream and meta.
      appends.set(`${streamId}#${appends.size}`, {
        streamId,
        expectedVersion: stream.version,
        events: [...decision],
        meta: typeof meta === 'function' ? meta(before) : meta,
      });
      stream.version += decision.length;
    }
    return { events: [...decision], before, state: stream.state };
  });
  await appendToStreams(tx, opts.scope, [...appends.values()]);
  if (opts.decider.snapshots) {
    const changed = [...new Set([...appends.values()].map((a) => a.streamId))];
    await writeSnapshots(
      tx,
      changed.map((id) => ({ streamId: id, version: streams.get(id)!.version, state: streams.get(id)!.state })),
    );
  }
  return outcomes;
}

export const isDecided = <E, S>(outcome: Decided<E, S> | Refusal): outcome is Decided<E, S> => !('refused' in outcome);

async function loadStreams<C, E extends NewEvent, S>(tx: Sql, decider: Decider<C, E, S>, ids: string[]) {
  const loaded = new Map<string, { version: number; state: S }>();
  if (decider.snapshots) {
    for (const [id, snap] of await readManySnapshotted(tx, ids, decider.initialState))
      loaded.set(id, { version: snap.version, state: (snap.events as E[]).reduce(decider.evolve, snap.state) });
    return loaded;
  }
  for (const id of ids) {
    const stream = await readStream(tx, id, decider.folds);
    loaded.set(id, { version: stream.version, state: fold(decider, stream.events as E[]) });
  }
  return loaded;
}

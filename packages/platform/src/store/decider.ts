import type { ErrorCode, EventMeta } from '@headlesskey/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../bus/domain-error.js';
import type { Store } from './database.js';
import { appendToStream, ConcurrencyError, type NewEvent, readStream, type StoreScope } from './event-store.js';

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

export interface HandleOptions<C, E extends NewEvent, S> {
  store: Store;
  scope: StoreScope;
  streamId: string;
  decider: Decider<C, E, S>;
  command: C;
  meta: EventMeta;
  /** Updates the read models in the same transaction as the append. */
  project?: (em: EntityManager, events: readonly E[], state: S) => Promise<void>;
}

const MAX_ATTEMPTS = 5;

/**
 * Read, decide, append, project — in one transaction. A concurrent append to the same stream
 * makes the command decide again on the newer state; it never overwrites.
 */
export async function handleCommand<C, E extends NewEvent, S>(opts: HandleOptions<C, E, S>): Promise<{ events: E[]; state: S }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await opts.store.em.fork().transactional(async (em) => {
        const stream = await readStream(em, opts.streamId, opts.decider.folds);
        const state = fold(opts.decider, stream.events as E[]);
        const decision = opts.decider.decide(opts.command, state);
        if (isRefusal(decision)) throw new DomainError(decision.refused, decision.message, decision.details);
        await appendToStream(em, opts.scope, opts.streamId, stream.version, decision, opts.meta);
        const next = decision.reduce(opts.decider.evolve, state);
        await opts.project?.(em, decision, next);
        return { events: [...decision], state: next };
      });
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

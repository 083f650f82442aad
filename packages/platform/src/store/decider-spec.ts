import { deepStrictEqual } from 'node:assert/strict';
import type { ErrorCode } from '@headlesskey/contracts';
import { type Decider, type Decision, fold, isRefusal, type Refusal } from './decider.js';
import type { NewEvent } from './event-store.js';

/** What a command decided, given a history: asserted with `thenRecords` or `thenRefuses`, or read for finer checks. */
export interface DecidedCommand<E extends NewEvent, S> {
  readonly decision: Decision<E>;
  /** The events recorded; throws when the command was refused. */
  events(): E[];
  /** The state after the events recorded; throws when the command was refused. */
  state(): S;
  /** Asserts the command recorded exactly these events (none, when empty). */
  thenRecords(expected: readonly E[]): void;
  /** Asserts the command was refused with this code; answers the refusal for checks of its details. */
  thenRefuses(code: ErrorCode): Refusal;
}

/** A history the next command is decided on. */
export interface Given<C, E extends NewEvent, S> {
  readonly events: E[];
  /** The history folded. */
  readonly state: S;
  when(command: C): DecidedCommand<E, S>;
}

export interface DeciderSpec<C, E extends NewEvent, S> {
  /** A history of these events. */
  given(...events: E[]): Given<C, E, S>;
  /** The history these commands record, decided in turn; a refusal among them throws. */
  givenCommands(...commands: C[]): Given<C, E, S>;
}

/**
 * Given/when/then for a decider's unit tests: `deciderSpec(d).given(...events).when(command).thenRecords(events)`
 * or `.thenRefuses(code)`. Assertions are node's, so it runs under any test runner.
 */
export function deciderSpec<C, E extends NewEvent, S>(decider: Decider<C, E, S>): DeciderSpec<C, E, S> {
  const history = (events: E[]): Given<C, E, S> => {
    const state = fold(decider, events);
    return { events, state, when: (command) => decided(decider, state, decider.decide(command, state)) };
  };
  return {
    given: (...events) => history(events),
    givenCommands: (...commands) => {
      const events: E[] = [];
      for (const command of commands) events.push(...history(events).when(command).events());
      return history(events);
    },
  };
}

function decided<C, E extends NewEvent, S>(decider: Decider<C, E, S>, before: S, decision: Decision<E>): DecidedCommand<E, S> {
  const events = () => {
    if (isRefusal(decision)) throw new Error(`refused: ${decision.refused}${decision.message ? ` (${decision.message})` : ''}`);
    return [...decision];
  };
  return {
    decision,
    events,
    state: () => events().reduce(decider.evolve, before),
    thenRecords: (expected) => deepStrictEqual(events(), [...expected]),
    thenRefuses(code) {
      if (!isRefusal(decision)) throw new Error(`expected a refusal ${code}, got ${JSON.stringify(decision)}`);
      deepStrictEqual(decision.refused, code);
      return decision;
    },
  };
}

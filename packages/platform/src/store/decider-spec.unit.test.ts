import { describe, expect, it } from 'vitest';
import { type Decider, refuse } from './decider.js';
import { deciderSpec } from './decider-spec.js';
import type { NewEvent } from './event-store.js';

type Added = NewEvent<'settings.changed', { by: number }>;
const counter: Decider<{ by: number }, Added, number> = {
  initialState: 0,
  decide: ({ by }, total) =>
    total + by > 10 ? refuse('headlesskey_rate_limited', 'too many', { total }) : [{ type: 'settings.changed', data: { by } }],
  evolve: (total, event) => total + event.data.by,
};
const added = (by: number): Added => ({ type: 'settings.changed', data: { by } });
const spec = deciderSpec(counter);

describe('decider spec', () => {
  it('folds the given events, or the events of the given commands, into the state the command meets', () => {
    expect(spec.given().state).toBe(0);
    expect(spec.given(added(2), added(5)).state).toBe(7);
    expect(spec.givenCommands({ by: 2 }, { by: 5 }).events).toEqual([added(2), added(5)]);
    expect(spec.given(added(7)).when({ by: 1 }).state()).toBe(8);
  });

  it('passes when the events or the refusal are the ones expected', () => {
    spec
      .given(added(2))
      .when({ by: 3 })
      .thenRecords([added(3)]);
    expect(spec.given(added(9)).when({ by: 4 }).thenRefuses('headlesskey_rate_limited')).toEqual({
      refused: 'headlesskey_rate_limited',
      message: 'too many',
      details: { total: 9 },
    });
  });

  it('fails when they are not', () => {
    expect(() =>
      spec
        .given()
        .when({ by: 3 })
        .thenRecords([added(4)]),
    ).toThrow();
    expect(() => spec.given().when({ by: 3 }).thenRecords([])).toThrow();
    expect(() => spec.given().when({ by: 3 }).thenRefuses('headlesskey_rate_limited')).toThrow(/expected a refusal/);
    expect(() => spec.given(added(9)).when({ by: 4 }).thenRefuses('headlesskey_user_exists')).toThrow();
    expect(() => spec.given(added(9)).when({ by: 4 }).thenRecords([])).toThrow(/refused: headlesskey_rate_limited/);
    expect(() => spec.given(added(9)).when({ by: 4 }).state()).toThrow(/refused/);
  });

  it('throws when a given command is refused', () => {
    expect(() => spec.givenCommands({ by: 9 }, { by: 4 })).toThrow(/refused: headlesskey_rate_limited/);
  });
});

import { describe, expect, it } from 'vitest';
import { type Decider, fold, isRefusal, refuse } from './decider.js';
import { deciderSpec } from './decider-spec.js';
import { isUniqueViolation, type NewEvent } from './event-store.js';

type Counted = NewEvent<'settings.changed', { by: number }>;
const counter: Decider<{ by: number }, Counted, number> = {
  initialState: 0,
  decide: ({ by }, total) =>
    total + by > 10 ? refuse('headlesskey_rate_limited', 'too many', { total }) : [{ type: 'settings.changed', data: { by } }],
  evolve: (total, event) => total + event.data.by,
};
const changed = (by: number): Counted => ({ type: 'settings.changed', data: { by } });

describe('decider helpers', () => {
  it('fold starts from the initial state and applies events in order', () => {
    expect(fold(counter, [])).toBe(0);
    expect(fold(counter, [changed(2), changed(5)])).toBe(7);
  });

  it('tells a refusal from a list of events, even an empty one', () => {
    const { decision } = deciderSpec(counter).given(changed(9)).when({ by: 4 });
    expect(isRefusal(decision)).toBe(true);
    expect(decision).toEqual({ refused: 'headlesskey_rate_limited', message: 'too many', details: { total: 9 } });
    expect(isRefusal(counter.decide({ by: 1 }, 0))).toBe(false);
    expect(isRefusal([])).toBe(false);
  });
});

describe('isUniqueViolation', () => {
  it('recognises PostgreSQL’s unique_violation, on any or on one named constraint', () => {
    const err = { code: '23505', constraint: 'events_stream_version' };
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, 'events_stream_version')).toBe(true);
    expect(isUniqueViolation(err, 'users_login')).toBe(false);
    // Drivers that only keep the message still name the constraint there.
    expect(
      isUniqueViolation({ code: '23505', message: 'duplicate key value violates unique constraint "users_login"' }, 'users_login'),
    ).toBe(true);
  });

  it('is false for other errors and for non-errors', () => {
    expect(isUniqueViolation({ code: '23503', constraint: 'events_stream_version' })).toBe(false);
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});

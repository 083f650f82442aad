import { describe, expect, it } from 'vitest';
import { normalizeEvents, wants } from './events.js';

describe('endpoint event types', () => {
  it('means all when none or `*` is given', () => {
    expect(normalizeEvents(undefined)).toEqual(['*']);
    expect(normalizeEvents([])).toEqual(['*']);
    expect(normalizeEvents(['auth.login.failed', '*'])).toEqual(['*']);
  });

  it('keeps a list once each, sorted', () => {
    expect(normalizeEvents(['token.issued', 'auth.login.failed', 'token.issued'])).toEqual(['auth.login.failed', 'token.issued']);
  });

  it('matches the types asked for, or every type', () => {
    expect(wants(['*'], 'user.registered')).toBe(true);
    expect(wants(['auth.login.failed'], 'auth.login.failed')).toBe(true);
    expect(wants(['auth.login.failed'], 'auth.login.succeeded')).toBe(false);
  });
});

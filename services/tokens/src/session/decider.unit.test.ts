import { fold, isRefusal } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { sessionDecider } from './decider.js';
import type { OpenSession } from './session.js';

const open: OpenSession = {
  type: 'Open',
  sessionId: '0190c6a0-0000-7000-8000-000000000001',
  userId: 3,
  jti: '0190c6a0-0000-7000-8000-0000000000aa',
  device: 'Firefox on Linux',
  expiresAt: '2026-01-01T01:00:00.000Z',
  refreshUntil: '2026-01-15T00:00:00.000Z',
};

describe('session decider', () => {
  it('given no session, opening one issues its first token', () => {
    const events = sessionDecider.decide(open, sessionDecider.initialState);
    expect(events).toEqual([
      {
        type: 'token.issued',
        data: {
          user_id: 3,
          session_id: open.sessionId,
          jti: open.jti,
          expires_at: open.expiresAt,
          device: 'Firefox on Linux',
          refresh_until: open.refreshUntil,
        },
      },
    ]);
  });

  it('folds the issue into an active session whose current token is that jti', () => {
    const events = sessionDecider.decide(open, sessionDecider.initialState);
    if (isRefusal(events)) throw new Error('refused');
    expect(fold(sessionDecider, events)).toEqual({
      status: 'active',
      userId: 3,
      currentJti: open.jti,
      refreshUntil: open.refreshUntil,
      device: 'Firefox on Linux',
    });
  });

  it('never opens the same session twice', () => {
    const events = sessionDecider.decide(open, sessionDecider.initialState);
    if (isRefusal(events)) throw new Error('refused');
    const again = sessionDecider.decide(open, fold(sessionDecider, events));
    expect(isRefusal(again)).toBe(true);
  });
});

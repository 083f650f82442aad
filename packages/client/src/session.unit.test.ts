import { describe, expect, it } from 'vitest';
import { claimsOf, parseSession, refreshDelay, sessionOf } from './session.js';
import { tokenFor, USER } from './testing.unit.js';

describe('sessionOf', () => {
  it('counts the lifetime from the answer’s expires_in by this clock, and reads the sid from the token', () => {
    const token = tokenFor({ sid: 's-1' });
    const session = sessionOf({ token, expires_in: 3600, refreshable: true, user: USER }, 1_000);
    expect(session).toEqual({ token, sessionId: 's-1', issuedAt: 1_000, expiresAt: 3_601_000, refreshable: true, user: USER });
    expect(sessionOf({ token, expires_in: 60, user: USER }, 0).refreshable).toBe(true);
  });

  it('reads no claims from what is not a token', () => {
    expect(claimsOf('nope')).toEqual({});
    expect(claimsOf('a.!!!.c')).toEqual({});
  });
});

describe('parseSession', () => {
  it('takes back what was stored and nothing else', () => {
    const session = sessionOf({ token: tokenFor(), expires_in: 60, user: USER }, 0);
    expect(parseSession(JSON.stringify(session))).toEqual(session);
    for (const text of [null, undefined, '', '{', '{"token":1}', 'null']) expect(parseSession(text)).toBeNull();
  });
});

describe('refreshDelay', () => {
  const session = (issuedAt: number, lifetimeMs: number) =>
    sessionOf({ token: tokenFor(), expires_in: lifetimeMs / 1000, user: USER }, issuedAt);

  it('refreshes the margin before expiry', () => {
    expect(refreshDelay(session(0, 3_600_000), 60_000, 0)).toBe(3_540_000);
    expect(refreshDelay(session(0, 3_600_000), 60_000, 3_000_000)).toBe(540_000);
  });

  it('at once when the token already expired (a tab opened after a night)', () => {
    expect(refreshDelay(session(0, 60_000), 10_000, 120_000)).toBe(0);
  });

  it('never sooner than a tenth of the lifetime after the token came: a long margin cannot loop', () => {
    expect(refreshDelay(session(0, 60_000), 120_000, 0)).toBe(6_000);
    expect(refreshDelay(session(0, 60_000), 55_000, 0)).toBe(6_000);
    expect(refreshDelay(session(0, 60_000), 50_000, 0)).toBe(10_000);
  });
});

import { type DecidedCommand, deciderSpec } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import { sessionDecider } from './decider.js';
import type { SessionCommand, SessionEvent, SessionState } from './session.js';

const sid = '0190c6a0-0000-7000-8000-000000000001';
const t = (jti: string, at: number) => ({ jti, issuedAt: at, expiresAt: at + 3600 });
const open: SessionCommand = {
  type: 'Open',
  sessionId: sid,
  userId: 3,
  device: 'phone',
  deviceNamed: true,
  token: t('j1', 1000),
  refreshUntil: 1000 + 14 * 86400,
};

/** Given these commands were accepted. */
const given = deciderSpec(sessionDecider).givenCommands;
const types = (decided: DecidedCommand<SessionEvent, SessionState>) => decided.events().map((e) => e.type);

describe('session decider', () => {
  it('opens a session with its first token', () => {
    expect(types(given().when(open))).toEqual(['token.issued']);
    expect(given(open).state).toMatchObject({ status: 'active', current: { jti: 'j1' }, device: 'phone' });
  });

  it('rotates the current token and remembers its parent', () => {
    const refresh: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j2', 1100), now: 1100, grace: 10 };
    expect(types(given(open).when(refresh))).toEqual(['token.refreshed']);
    expect(given(open, refresh).state).toMatchObject({ current: { jti: 'j2' }, parent: { jti: 'j1', rotatedAt: 1100 } });
  });

  it('answers the same child when the parent comes again within the grace', () => {
    const first: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j2', 1100), now: 1100, grace: 10 };
    const racer: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j3', 1105), now: 1105, grace: 10 };
    given(open, first).when(racer).thenRecords([]);
  });

  it('gives no grace at all when the grace is 0, even within the same second', () => {
    const first: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j2', 1100), now: 1100, grace: 0 };
    const racer: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j3', 1100), now: 1100, grace: 0 };
    expect(types(given(open, first).when(racer))).toEqual(['token.reuse_detected', 'token.revoked']);
  });

  it('treats the parent after the grace, or any older token, as reuse and ends the session', () => {
    const first: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j2', 1100), now: 1100, grace: 10 };
    const late: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j3', 1111), now: 1111, grace: 10 };
    expect(types(given(open, first).when(late))).toEqual(['token.reuse_detected', 'token.revoked']);
    const second: SessionCommand = { type: 'Refresh', presentedJti: 'j2', token: t('j3', 1200), now: 1200, grace: 10 };
    const grandparent: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j4', 1201), now: 1201, grace: 10 };
    expect(types(given(open, first, second).when(grandparent))).toEqual(['token.reuse_detected', 'token.revoked']);
    expect(given(open, first, second, grandparent).state.status).toBe('ended');
  });

  it('refreshes an expired token while the refresh window is open, never after', () => {
    const afterExpiry: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j2', 9000), now: 9000, grace: 10 };
    expect(types(given(open).when(afterExpiry))).toEqual(['token.refreshed']);
    // The window closes at its second, as a token expires at its `exp`: the two end together.
    const pastWindow: SessionCommand = { ...afterExpiry, now: 1000 + 14 * 86400 };
    given(open).when(pastWindow).thenRefuses('headlesskey_token_expired');
  });

  it('refuses to refresh an ended session', () => {
    const refresh: SessionCommand = { type: 'Refresh', presentedJti: 'j1', token: t('j2', 1100), now: 1100, grace: 10 };
    given(open, { type: 'End', reason: 'admin' }).when(refresh).thenRefuses('headlesskey_token_revoked');
  });

  it('revokes only the current token, and a second revoke changes nothing', () => {
    const revoke: SessionCommand = { type: 'Revoke', presentedJti: 'j1' };
    expect(types(given(open).when(revoke))).toEqual(['token.revoked']);
    given(open, revoke).when(revoke).thenRecords([]);
    given(open).when({ type: 'Revoke', presentedJti: 'stale' }).thenRecords([]);
  });

  it('re-opening from the same device replaces the token and restarts the refresh window', () => {
    const reopen: SessionCommand = { type: 'Reopen', token: t('j9', 5000), refreshUntil: 5000 + 86400 };
    expect(given(open, reopen).state).toMatchObject({ status: 'active', current: { jti: 'j9' }, refreshUntil: 5000 + 86400 });
  });

  it('keeps whether the client named the device through a re-open, and reads an event without the mark as unnamed', () => {
    const reopen: SessionCommand = { type: 'Reopen', token: t('j9', 5000), refreshUntil: 5000 + 86400 };
    const [issued] = given(open).when(reopen).events();
    expect(issued?.data).toMatchObject({ device: 'phone', device_named: true });
    const { device_named: _, ...older } = issued!.data as Record<string, unknown>;
    const replayed = sessionDecider.evolve(sessionDecider.initialState, { type: 'token.issued', data: older } as SessionEvent);
    expect(replayed).toMatchObject({ status: 'active', device: 'phone', deviceNamed: false });
  });

  it('evicts an active session once', () => {
    expect(types(given(open).when({ type: 'Evict' }))).toEqual(['session.evicted']);
    given(open, { type: 'Evict' }).when({ type: 'Evict' }).thenRecords([]);
  });
});

import { type Decider, type Decision, refuse } from '@headlesskey/platform';
import type { SessionCommand, SessionEvent, SessionFacts, SessionState } from './session.js';

type Active = Extract<SessionState, { status: 'active' }>;

const ended = (reason: string) => refuse('headlesskey_token_revoked', undefined, { reason });

function decide(command: SessionCommand, state: SessionState): Decision<SessionEvent> {
  if (command.type === 'Open') {
    if (state.status !== 'absent') return refuse('headlesskey_internal_error', 'session id already in use');
    const { sessionId, userId, device, deviceNamed, token, refreshUntil } = command;
    return [issued({ sessionId, userId, device, deviceNamed }, token, refreshUntil)];
  }
  if (state.status === 'absent') return ended('unknown session');
  switch (command.type) {
    case 'Reopen':
      // A new login from the same named device takes the device's slot: the old token dies with it.
      return [issued(state, command.token, command.refreshUntil)];
    case 'Refresh':
      return state.status === 'active' ? decideRefresh(command, state) : ended('session ended');
    case 'Revoke':
      if (state.status !== 'active' || command.presentedJti !== state.current.jti) return [];
      return [revoked(state, 'logout')];
    case 'End':
      return state.status === 'active' ? [revoked(state, command.reason)] : [];
    case 'Evict':
      return state.status === 'active'
        ? [{ type: 'session.evicted', data: { user_id: state.userId, session_id: state.sessionId, device: state.device } }]
        : [];
    default:
      return assertNever(command);
  }
}

/**
 * The current token rotates; its immediate parent inside the grace answers the same child (two
 * tabs racing); any other token of the session is reuse, and the whole session dies.
 */
function decideRefresh(command: Extract<SessionCommand, { type: 'Refresh' }>, state: Active): Decision<SessionEvent> {
  // Closed from its second on, as a token is expired from its `exp` (`answer.ts` says `refreshable` alike).
  if (command.now >= state.refreshUntil)
    return refuse('headlesskey_token_expired', 'The refresh window has closed.', { reason: 'refresh window closed' });
  if (command.presentedJti === state.current.jti) {
    const { jti, issuedAt, expiresAt } = command.token;
    const data = {
      user_id: state.userId,
      session_id: state.sessionId,
      jti,
      parent_jti: state.current.jti,
      issued_at: issuedAt,
      expires_at: expiresAt,
    };
    return [{ type: 'token.refreshed', data }];
  }
  const parent = state.parent;
  // Strictly less: times are whole seconds, so `<=` would stretch a grace of 0 to up to a second.
  if (parent && command.presentedJti === parent.jti && command.now - parent.rotatedAt < command.grace) return [];
  return [
    { type: 'token.reuse_detected', data: { user_id: state.userId, session_id: state.sessionId, presented_jti: command.presentedJti } },
    revoked(state, 'reuse'),
  ];
}

function issued(
  s: Pick<SessionFacts, 'sessionId' | 'userId' | 'device' | 'deviceNamed'>,
  token: SessionFacts['current'],
  refreshUntil: number,
): SessionEvent {
  return {
    type: 'token.issued',
    data: {
      user_id: s.userId,
      session_id: s.sessionId,
      jti: token.jti,
      issued_at: token.issuedAt,
      expires_at: token.expiresAt,
      device: s.device,
      device_named: s.deviceNamed,
      refresh_until: refreshUntil,
    },
  };
}

function revoked(s: SessionFacts, reason: Extract<SessionEvent, { type: 'token.revoked' }>['data']['reason']): SessionEvent {
  return { type: 'token.revoked', data: { user_id: s.userId, session_id: s.sessionId, reason } };
}

function evolve(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'token.issued': {
      const d = event.data;
      const current = { jti: d.jti, issuedAt: d.issued_at, expiresAt: d.expires_at };
      const facts = { sessionId: d.session_id, userId: d.user_id, device: d.device, deviceNamed: d.device_named ?? false };
      return { status: 'active', ...facts, refreshUntil: d.refresh_until, current };
    }
    case 'token.refreshed': {
      if (state.status === 'absent') return state;
      const d = event.data;
      return {
        ...state,
        current: { jti: d.jti, issuedAt: d.issued_at, expiresAt: d.expires_at },
        parent: { jti: d.parent_jti, rotatedAt: d.issued_at },
      };
    }
    case 'token.revoked':
    case 'session.evicted':
      return state.status === 'absent' ? state : { ...state, status: 'ended' };
    case 'token.reuse_detected':
      return state;
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}

/** The session aggregate: one device's chain of tokens, from login to its end. */
export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  initialState: { status: 'absent' },
  decide,
  evolve,
  // A session refreshed every few minutes for two weeks is thousands of events long.
  snapshots: true,
};

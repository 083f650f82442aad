import { fold, isRefusal } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import type { CredentialCommand, CredentialEvent, RequestReset } from './credential.js';
import { credentialDecider } from './decider.js';

const T0 = Date.UTC(2030, 0, 1);
const HOUR = 3600_000;
const request = (requestId: string, requestedAt = T0, delivery: 'link' | 'otp' = 'link'): RequestReset => ({
  type: 'RequestReset',
  userId: 7,
  requestId,
  delivery,
  requestedAt,
  expiresAt: requestedAt + HOUR,
});
const reset = (requestId: string, at = T0 + 1000): CredentialCommand => ({ type: 'ResetPassword', userId: 7, requestId, at });
const change: CredentialCommand = { type: 'ChangePassword', userId: 7, at: T0 + 500 };

/** Given these commands decided in order, the events they recorded. */
function given(...commands: CredentialCommand[]): CredentialEvent[] {
  const events: CredentialEvent[] = [];
  for (const command of commands) {
    const decision = credentialDecider.decide(command, fold(credentialDecider, events));
    if (isRefusal(decision)) throw new Error(`given step refused: ${decision.refused}`);
    events.push(...decision);
  }
  return events;
}
const when = (command: CredentialCommand, history: CredentialEvent[]) =>
  credentialDecider.decide(command, fold(credentialDecider, history));
const refusedWith = (decision: ReturnType<typeof when>) => (isRefusal(decision) ? decision.refused : undefined);

describe('credential decider', () => {
  it('given nothing, a reset request records when it was asked and until when it holds, and no secret', () => {
    expect(when(request('r1'), given())).toEqual([
      {
        type: 'password.reset.requested',
        data: {
          user_id: 7,
          request_id: 'r1',
          delivery: 'link',
          requested_at: new Date(T0).toISOString(),
          expires_at: new Date(T0 + HOUR).toISOString(),
        },
      },
    ]);
  });

  it('given a pending request, the same request again (a retried mail) records nothing', () => {
    expect(when(request('r1'), given(request('r1')))).toEqual([]);
  });

  it('given a newer request, an older one handled late records nothing', () => {
    expect(when(request('r1', T0), given(request('r2', T0 + 10)))).toEqual([]);
  });

  it('given a pending request, using it before it expires records the reset', () => {
    expect(when(reset('r1'), given(request('r1', T0, 'otp')))).toEqual([
      { type: 'password.reset', data: { user_id: 7, request_id: 'r1', delivery: 'otp' } },
    ]);
  });

  it('given a used request, using it again is refused', () => {
    expect(refusedWith(when(reset('r1'), given(request('r1'), reset('r1'))))).toBe('headlesskey_invalid_reset');
  });

  it('given a newer request, the older one is void', () => {
    expect(refusedWith(when(reset('r1'), given(request('r1'), request('r2', T0 + 10))))).toBe('headlesskey_invalid_reset');
  });

  it('given a request, it is refused from the moment it expires', () => {
    const history = given(request('r1'));
    expect(isRefusal(when(reset('r1', T0 + HOUR - 1), history))).toBe(false);
    expect(refusedWith(when(reset('r1', T0 + HOUR), history))).toBe('headlesskey_invalid_reset');
  });

  it('given a password change after the request, the request is void', () => {
    expect(refusedWith(when(reset('r1'), given(request('r1'), change)))).toBe('headlesskey_invalid_reset');
  });

  it('given nothing pending, a reset is refused', () => {
    expect(refusedWith(when(reset('r1'), given()))).toBe('headlesskey_invalid_reset');
  });

  it('a change is always recorded: the current password was checked before', () => {
    expect(when(change, given())).toEqual([{ type: 'password.changed', data: { user_id: 7 } }]);
  });
});

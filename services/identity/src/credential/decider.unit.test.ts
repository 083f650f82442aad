import { deciderSpec } from '@headlesskey/platform';
import { describe, expect, it } from 'vitest';
import type { CredentialCommand, RequestReset } from './credential.js';
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
/** Given these commands decided in order. */
const given = deciderSpec(credentialDecider).givenCommands;

describe('credential decider', () => {
  it('given nothing, a reset request records when it was asked and until when it holds, and no secret', () => {
    given()
      .when(request('r1'))
      .thenRecords([
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
    given(request('r1')).when(request('r1')).thenRecords([]);
  });

  it('given a newer request, an older one handled late records nothing', () => {
    given(request('r2', T0 + 10))
      .when(request('r1', T0))
      .thenRecords([]);
  });

  it('given a pending request, using it before it expires records the reset', () => {
    given(request('r1', T0, 'otp'))
      .when(reset('r1'))
      .thenRecords([{ type: 'password.reset', data: { user_id: 7, request_id: 'r1', delivery: 'otp' } }]);
  });

  it('given a used request, using it again is refused', () => {
    given(request('r1'), reset('r1')).when(reset('r1')).thenRefuses('headlesskey_invalid_reset');
  });

  it('given a newer request, the older one is void', () => {
    given(request('r1'), request('r2', T0 + 10))
      .when(reset('r1'))
      .thenRefuses('headlesskey_invalid_reset');
  });

  it('given a request, it is refused from the moment it expires', () => {
    const history = given(request('r1'));
    expect(history.when(reset('r1', T0 + HOUR - 1)).events()).toHaveLength(1);
    history.when(reset('r1', T0 + HOUR)).thenRefuses('headlesskey_invalid_reset');
  });

  it('given a password change after the request, the request is void', () => {
    given(request('r1'), change).when(reset('r1')).thenRefuses('headlesskey_invalid_reset');
  });

  it('given nothing pending, a reset is refused', () => {
    given().when(reset('r1')).thenRefuses('headlesskey_invalid_reset');
  });

  it('a change is always recorded: the current password was checked before', () => {
    given()
      .when(change)
      .thenRecords([{ type: 'password.changed', data: { user_id: 7 } }]);
  });
});

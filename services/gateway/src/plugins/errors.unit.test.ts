import { ERROR_CODES, type ErrorCode } from '@headlesskey/contracts';
import { describe, expect, it } from 'vitest';
import { HTTP_ERRORS, toHttpError } from './errors.js';

/** The table of docs/api.md (Errors), code by code. */
const CONTRACT_STATUS: Record<ErrorCode, number> = {
  rest_missing_callback_param: 400,
  rest_invalid_param: 400,
  headlesskey_invalid_json: 400,
  headlesskey_unsupported_media_type: 415,
  headlesskey_payload_too_large: 413,
  headlesskey_invalid_credentials: 403,
  headlesskey_account_locked: 429,
  headlesskey_ip_blocked: 429,
  headlesskey_unauthorized: 401,
  headlesskey_invalid_token: 401,
  headlesskey_token_expired: 401,
  headlesskey_token_revoked: 401,
  headlesskey_forbidden: 403,
  headlesskey_user_exists: 409,
  headlesskey_last_administrator: 409,
  headlesskey_invalid_verification: 400,
  headlesskey_email_unverified: 403,
  headlesskey_weak_password: 400,
  headlesskey_registration_disabled: 403,
  headlesskey_device_limit: 409,
  headlesskey_invalid_reset: 400,
  headlesskey_incorrect_password: 403,
  headlesskey_sso_unknown_site: 401,
  headlesskey_sso_invalid_signature: 401,
  headlesskey_sso_replay: 401,
  headlesskey_rate_limited: 429,
  headlesskey_idempotency_key_reused: 422,
  headlesskey_idempotency_key_in_flight: 409,
  headlesskey_not_found: 404,
  headlesskey_unavailable: 503,
  headlesskey_internal_error: 500,
};

describe('toHttpError', () => {
  it.each(ERROR_CODES.map((code) => [code]))('maps %s to the status of the contract, repeated in data.status', (code) => {
    const { status, body } = toHttpError({ code });
    expect(status).toBe(CONTRACT_STATUS[code]);
    expect(body.data.status).toBe(status);
    expect(body.message).toBe(HTTP_ERRORS[code].message);
  });

  it("keeps the service's message and merges its details into data, never over status", () => {
    const { body } = toHttpError({
      code: 'headlesskey_weak_password',
      message: 'Too common.',
      details: { rule: 'blocklist', status: 200 },
    });
    expect(body).toEqual({ code: 'headlesskey_weak_password', message: 'Too common.', data: { status: 400, rule: 'blocklist' } });
  });

  it.each(['headlesskey_invalid_token', 'headlesskey_token_expired', 'headlesskey_token_revoked'] as const)(
    'marks %s as valid: false',
    (code) => {
      expect(toHttpError({ code, details: { reason: 'why' } }).body.data).toEqual({ status: 401, valid: false, reason: 'why' });
    },
  );

  it('sets the headers the contract asks for', () => {
    expect(toHttpError({ code: 'headlesskey_unavailable' }).headers).toEqual({ 'retry-after': '1' });
    expect(toHttpError({ code: 'headlesskey_unauthorized' }).headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(toHttpError({ code: 'headlesskey_ip_blocked', details: { retry_after: 59.2 } }).headers).toEqual({ 'retry-after': '60' });
    expect(toHttpError({ code: 'headlesskey_account_locked' }).headers).toEqual({});
    expect(toHttpError({ code: 'headlesskey_account_locked', details: { retry_after: 'soon' } }).headers).toEqual({});
  });

  it('words parameter errors from their params when a service sends none', () => {
    expect(toHttpError({ code: 'rest_missing_callback_param', details: { params: ['token'] } }).body.message).toBe(
      'Missing parameter(s): token',
    );
    expect(toHttpError({ code: 'rest_invalid_param', details: { params: { '/context/ip': 'too long' } } }).body.message).toBe(
      'Invalid parameter(s): /context/ip',
    );
  });

  it('drops whatever an internal error carries, and treats an unknown code as one', () => {
    const internal = toHttpError({ code: 'headlesskey_internal_error', message: 'relation "users" does not exist', details: { sql: 'x' } });
    expect(internal.body).toEqual({ code: 'headlesskey_internal_error', message: 'An unexpected error occurred.', data: { status: 500 } });
    const unknown = toHttpError({ code: 'ECONNREFUSED' as ErrorCode, message: 'connect ECONNREFUSED 10.0.0.5:5432' });
    expect(unknown.body).toEqual(internal.body);
  });
});

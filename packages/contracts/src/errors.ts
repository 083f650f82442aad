import { Type } from '@sinclair/typebox';

/** Error codes of the REST contract (docs/api.md, Errors). Services answer these; the gateway maps them to HTTP. */
export const ERROR_CODES = [
  'rest_missing_callback_param',
  'rest_invalid_param',
  'headlesskey_invalid_json',
  'headlesskey_unsupported_media_type',
  'headlesskey_payload_too_large',
  'headlesskey_invalid_credentials',
  'headlesskey_account_locked',
  'headlesskey_ip_blocked',
  'headlesskey_unauthorized',
  'headlesskey_invalid_token',
  'headlesskey_token_expired',
  'headlesskey_token_revoked',
  'headlesskey_forbidden',
  'headlesskey_user_exists',
  'headlesskey_last_administrator',
  'headlesskey_weak_password',
  'headlesskey_registration_disabled',
  'headlesskey_device_limit',
  'headlesskey_invalid_reset',
  'headlesskey_invalid_verification',
  'headlesskey_email_unverified',
  'headlesskey_incorrect_password',
  'headlesskey_sso_unknown_site',
  'headlesskey_sso_invalid_signature',
  'headlesskey_sso_replay',
  'headlesskey_rate_limited',
  'headlesskey_idempotency_key_reused',
  'headlesskey_idempotency_key_in_flight',
  'headlesskey_not_found',
  'headlesskey_unavailable',
  'headlesskey_internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The failure half of a command reply. `details` ends up in the HTTP error's `data`. */
export interface ErrorBody {
  code: ErrorCode;
  message?: string;
  details?: Record<string, unknown>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The body of every error answer (docs/api.md, Errors): the WordPress REST error shape, with the HTTP
 * status repeated in `data.status` and whatever else the code carries beside it.
 */
export const ErrorResponse = Type.Object({
  code: Type.Unsafe<ErrorCode>({ type: 'string', enum: [...ERROR_CODES] }),
  message: Type.String(),
  data: Type.Object({ status: Type.Integer({ minimum: 400, maximum: 599 }) }, { additionalProperties: true }),
});

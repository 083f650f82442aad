import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorBody, type ErrorCode, isErrorCode } from '@headlesskey/contracts';
import { DomainError } from '@headlesskey/platform';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bodyValidationError } from './validation-errors.js';

/**
 * Every code of the contract with its HTTP status and default message (docs/api.md, Errors). The gateway is
 * the only place that knows statuses: services answer codes.
 */
export const HTTP_ERRORS: Readonly<Record<ErrorCode, { status: number; message: string }>> = {
  rest_missing_callback_param: { status: 400, message: 'Missing parameter(s).' },
  rest_invalid_param: { status: 400, message: 'Invalid parameter(s).' },
  headlesskey_invalid_json: { status: 400, message: 'The request body is not a valid JSON object.' },
  headlesskey_unsupported_media_type: {
    status: 415,
    message: 'Send the body as application/json or application/x-www-form-urlencoded.',
  },
  headlesskey_payload_too_large: { status: 413, message: 'The request body is too large.' },
  headlesskey_invalid_credentials: { status: 403, message: 'Invalid username or password.' },
  headlesskey_account_locked: { status: 429, message: 'Too many failed login attempts. Try again later.' },
  headlesskey_ip_blocked: { status: 429, message: 'Too many failed login attempts from this address. Try again later.' },
  headlesskey_unauthorized: { status: 401, message: 'Authentication required.' },
  headlesskey_invalid_token: { status: 401, message: 'Invalid token.' },
  headlesskey_token_expired: { status: 401, message: 'Token has expired.' },
  headlesskey_token_revoked: { status: 401, message: 'Token has been revoked.' },
  headlesskey_forbidden: { status: 403, message: 'Sorry, you are not allowed to do that.' },
  headlesskey_user_exists: { status: 409, message: 'Sorry, that username or email is already in use.' },
  headlesskey_last_administrator: {
    status: 409,
    message: 'The last active administrator cannot be demoted, disabled or deleted.',
  },
  headlesskey_weak_password: { status: 400, message: 'The password does not meet the password policy.' },
  headlesskey_registration_disabled: { status: 403, message: 'User registration is disabled.' },
  headlesskey_device_limit: { status: 409, message: 'Device limit reached. Log out from another device first.' },
  headlesskey_invalid_reset: { status: 400, message: 'Invalid or expired password reset key.' },
  headlesskey_invalid_verification: { status: 400, message: 'Invalid or expired email verification key.' },
  headlesskey_email_unverified: { status: 403, message: 'Verify your email address before logging in.' },
  headlesskey_incorrect_password: { status: 403, message: 'The current password is incorrect.' },
  headlesskey_sso_unknown_site: { status: 401, message: 'Unknown site.' },
  headlesskey_sso_invalid_signature: { status: 401, message: 'Invalid signature.' },
  headlesskey_sso_replay: { status: 401, message: 'This token was already exchanged or is outside the allowed time window.' },
  headlesskey_rate_limited: { status: 429, message: 'Too many requests. Try again later.' },
  headlesskey_idempotency_key_reused: {
    status: 422,
    message: 'This Idempotency-Key was already used with a different request.',
  },
  headlesskey_idempotency_key_in_flight: {
    status: 409,
    message: 'A request with this Idempotency-Key is still being processed. Try again shortly.',
  },
  headlesskey_not_found: { status: 404, message: 'No route was found matching the URL and request method.' },
  headlesskey_unavailable: { status: 503, message: 'The service is temporarily unavailable. Try again shortly.' },
  headlesskey_internal_error: { status: 500, message: 'An unexpected error occurred.' },
};

/** The WordPress REST error body. */
export interface WpError {
  code: ErrorCode;
  message: string;
  data: { status: number; [key: string]: unknown };
}

export interface HttpError {
  status: number;
  headers: Record<string, string>;
  body: WpError;
}

const TOKEN_ERRORS = new Set<ErrorCode>(['headlesskey_invalid_token', 'headlesskey_token_expired', 'headlesskey_token_revoked']);
const THROTTLE_ERRORS = new Set<ErrorCode>(['headlesskey_account_locked', 'headlesskey_ip_blocked', 'headlesskey_rate_limited']);

/**
 * Maps a code (from a service reply or the gateway itself) to its HTTP answer. An internal error
 * keeps only its code: whatever message or detail came with it stays in the log.
 */
export function toHttpError(error: ErrorBody): HttpError {
  const code: ErrorCode = isErrorCode(error.code) ? error.code : 'headlesskey_internal_error';
  const { status, message } = HTTP_ERRORS[code];
  if (code === 'headlesskey_internal_error') return { status, headers: {}, body: { code, message, data: { status } } };
  const data: WpError['data'] = { status };
  if (TOKEN_ERRORS.has(code)) data.valid = false;
  for (const [key, value] of Object.entries(error.details ?? {})) {
    if (key !== 'status') data[key] = value;
  }
  return { status, headers: headersFor(code, data), body: { code, message: error.message || paramsMessage(code, data) || message, data } };
}

/** WordPress names the parameters in the message; a service reply may carry only `params`. */
function paramsMessage(code: ErrorCode, data: WpError['data']): string | undefined {
  const params = data.params;
  if (params === null || typeof params !== 'object') return undefined;
  const names = Array.isArray(params) ? params.map(String) : Object.keys(params);
  if (code === 'rest_missing_callback_param') return `Missing parameter(s): ${names.join(', ')}`;
  if (code === 'rest_invalid_param') return `Invalid parameter(s): ${names.join(', ')}`;
  return undefined;
}

function headersFor(code: ErrorCode, data: WpError['data']): Record<string, string> {
  if (code === 'headlesskey_unavailable' || code === 'headlesskey_idempotency_key_in_flight') return { 'retry-after': '1' };
  if (code === 'headlesskey_unauthorized') return { 'www-authenticate': 'Bearer' };
  const retryAfter = data.retry_after;
  if (THROTTLE_ERRORS.has(code) && typeof retryAfter === 'number' && retryAfter > 0) {
    return { 'retry-after': String(Math.ceil(retryAfter)) };
  }
  return {};
}

/**
 * Sends an error in the WordPress shape; the one way any error leaves the gateway. A 500 here
 * came from a service (or an unknown code), so what it said is logged before it is dropped.
 */
export function sendError(reply: FastifyReply, error: ErrorBody): FastifyReply {
  const http = toHttpError(error);
  if (http.status === 500) reply.log.error({ error }, 'a service answered an internal error');
  return send(reply, http);
}

function send(reply: FastifyReply, http: HttpError): FastifyReply {
  return reply.code(http.status).headers(http.headers).send(http.body);
}

/** What a Fastify-raised error means in the contract's terms. */
export function classify(error: FastifyError): ErrorBody | undefined {
  if (error instanceof DomainError) return error.toBody();
  if (error.validation) return bodyValidationError(error.validation);
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'headlesskey_unsupported_media_type' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'headlesskey_payload_too_large' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'headlesskey_invalid_json' };
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { code: 'headlesskey_not_found' };
    default:
      return undefined;
  }
}

/**
 * One error handler and one not-found handler for the whole app, so every answer that is not a
 * success has the WordPress shape. Anything unforeseen is logged in full and answered as a bare 500.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = classify(error);
    if (known) return sendError(reply, known);
    request.log.error({ err: error, requestId: request.id }, 'request failed');
    return send(reply, toHttpError({ code: 'headlesskey_internal_error' }));
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, { code: 'headlesskey_not_found' }));
}

/**
 * For Fastify's `clientErrorHandler` option: a request line or headers past Node's limit (a very
 * long query string or path) never reach a route, yet are answered in the WordPress shape too.
 * Any other malformed request is answered as Node answers it.
 */
export function clientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable)
    socket.write(error.code === 'HPE_HEADER_OVERFLOW' ? tooLarge() : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  socket.destroy(error);
}

function tooLarge(): string {
  const { status, body } = toHttpError({
    code: 'headlesskey_payload_too_large',
    message: 'The request line or its headers are too large.',
  });
  const json = JSON.stringify(body);
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8`;
  return `${head}\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
}

/** For Fastify's `frameworkErrors` option: malformed URLs answer like unknown routes. */
export function frameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, classify(error) ?? { code: 'headlesskey_internal_error' });
}

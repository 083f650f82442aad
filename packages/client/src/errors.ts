import type { ErrorCode } from './contract.js';

/**
 * Every failure the client reports: the server's error code unchanged (docs/api.md, Errors), the
 * HTTP status (0 when no answer came), and the error's `data` as the server sent it.
 */
export class HeadlessKeyError extends Error {
  override readonly name = 'HeadlessKeyError';
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly data: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** A token refused where it was checked: `invalid_token`, `token_expired` or `token_revoked`. */
export const tokenError = (code: 'headlesskey_invalid_token' | 'headlesskey_token_expired' | 'headlesskey_token_revoked', reason: string) =>
  new HeadlessKeyError(code, 401, reason, { status: 401, reason });

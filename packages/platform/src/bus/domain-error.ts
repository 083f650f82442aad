import type { ErrorBody, ErrorCode } from '@headlesskey/contracts';

/**
 * A refusal a command handler means to send back: it becomes `{ ok: false, error }`. Anything
 * else thrown is a fault and is answered as `headlesskey_internal_error` with no detail.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? code);
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message === this.code ? undefined : this.message, details: this.details };
  }
}

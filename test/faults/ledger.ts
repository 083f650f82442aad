/**
 * What the load's clients asked and were answered: every HTTP request (an attempt), and every
 * operation (one write or read, its retries included) with what the client knows of its result.
 */

export type Op = 'register' | 'login' | 'refresh' | 'revoke' | 'validate';
export const WRITES: readonly Op[] = ['register', 'login', 'refresh', 'revoke'];

/** One HTTP request and its answer: a status, or the socket error that ended it. */
export interface Attempt {
  client: number;
  op: Op;
  phase: string;
  /** Date.now() when it was sent and when its answer (or error) came. */
  start: number;
  end: number;
  /** The HTTP status, or the error's code (`ECONNREFUSED`, `timeout`). */
  status: number | string;
  /** The error `code` of a JSON error body. */
  code?: string;
}

/**
 * An attempt the service failed to answer: a 5xx, no answer at all, or `409` because the first
 * request with its `Idempotency-Key` is still in flight (or was cut off with a gateway): each
 * says "ask again with the same key", as `Retry-After` does.
 */
export const unavailable = (a: Pick<Attempt, 'status' | 'code'>) =>
  typeof a.status === 'string' || a.status >= 500 || (a.status === 409 && a.code === 'headlesskey_idempotency_key_in_flight');

/**
 * How an operation ended for its client: `ok`; `failed`, when every try went unanswered or 503
 * (or 409 in flight; whether it happened is for the checks to find out); `refused` with any other answer.
 */
export type Outcome = 'ok' | 'failed' | 'refused';

export interface Account {
  username: string;
  email: string;
  password: string;
  /** Known once a registration was answered 201. */
  id?: number;
}

/** A session as its client knows it: the token it holds now and every token it rotated away. */
export interface Session {
  account: Account;
  token: string;
  rotated: string[];
  /** A revoke of it was answered 200: none of its tokens may validate. */
  revoked: boolean;
  /** An operation on it ended `failed`: its client no longer uses it, the checks settle it. */
  unsure: boolean;
}

export interface Operation {
  client: number;
  op: Op;
  phase: string;
  /** The `Idempotency-Key` of a write, the same on each of its tries. */
  key?: string;
  start: number;
  end: number;
  outcome: Outcome;
  /** The last answer's status or error, and its body's `code`. */
  status: number | string;
  code?: string;
  /** How many requests it took. */
  tries: number;
  account?: Account;
  session?: Session;
  /** The token a refresh, revoke or validate presented. */
  token?: string;
}

export class Ledger {
  readonly attempts: Attempt[] = [];
  readonly operations: Operation[] = [];
  readonly accounts: Account[] = [];
  readonly sessions: Session[] = [];

  inPhase<T extends { phase: string }>(items: readonly T[], phase: string): T[] {
    return items.filter((item) => item.phase === phase);
  }

  /** The requests one operation made. */
  triesOf(operation: Operation): Attempt[] {
    return this.attempts.filter(
      (a) => a.client === operation.client && a.op === operation.op && a.start >= operation.start && a.end <= operation.end,
    );
  }
}

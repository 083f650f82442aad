import { randomBytes, randomUUID } from 'node:crypto';
import { type Account, type Attempt, type Ledger, type Op, type Operation, type Session, unavailable } from './ledger.js';

export const PASSWORD = 'correct horse battery staple';
/** Waits before each retry of an unanswered or 503 try: about 2 s in all, well inside `refresh_grace`. */
const RETRY_DELAYS_MS = [100, 250, 500, 1000];
/** No request waits longer for its answer than the gateway's command timeout and then some. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Where the load sends its requests: the REST base of whichever system runs now. */
export interface Target {
  apiUrl: string;
}

export interface Answer {
  status: number | string;
  body: Record<string, unknown> & { code?: string };
}

/** One POST under the REST namespace; a socket error or timeout is answered as its code. */
export async function post(target: Target, path: string, body: unknown, key?: string): Promise<Answer> {
  try {
    const res = await fetch(`${target.apiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let parsed: Answer['body'] = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed };
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string }; code?: string };
    return { status: e.name === 'TimeoutError' ? 'timeout' : (e.cause?.code ?? e.code ?? e.name ?? 'error'), body: {} };
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function newAccount(client: number): Account {
  const username = `fault${client}_${randomBytes(5).toString('hex')}`;
  return { username, email: `${username}@example.com`, password: PASSWORD };
}

/**
 * One operation as a careful client runs it: a write carries an `Idempotency-Key`, and a try that
 * is unanswered or answered 503 is sent again with the same key a few times. Every try goes into
 * the ledger; so does the operation, with how it ended.
 */
export async function perform(
  ledger: Ledger,
  target: Target,
  meta: { client: number; phase: () => string },
  op: Op,
  path: string,
  body: unknown,
  extra: Partial<Operation> = {},
): Promise<{ operation: Operation; answer: Answer }> {
  const key = op === 'validate' ? undefined : randomUUID();
  const start = Date.now();
  let answer: Answer = { status: 'not sent', body: {} };
  let tries = 0;
  for (let attempt = 0; ; attempt++) {
    tries++;
    const sent = Date.now();
    answer = await post(target, path, body, key);
    const record: Attempt = { client: meta.client, op, phase: meta.phase(), start: sent, end: Date.now(), status: answer.status };
    if (typeof answer.body.code === 'string') record.code = answer.body.code;
    ledger.attempts.push(record);
    if (!unavailable(record) || attempt >= RETRY_DELAYS_MS.length) break;
    await pause(RETRY_DELAYS_MS[attempt] as number);
  }
  const ok = typeof answer.status === 'number' && answer.status < 300;
  const operation: Operation = {
    client: meta.client,
    op,
    phase: meta.phase(),
    start,
    end: Date.now(),
    outcome: ok ? 'ok' : unavailable({ status: answer.status, code: answer.body.code as string | undefined }) ? 'failed' : 'refused',
    status: answer.status,
    tries,
    ...(key ? { key } : {}),
    ...(typeof answer.body.code === 'string' ? { code: answer.body.code } : {}),
    ...extra,
  };
  ledger.operations.push(operation);
  return { operation, answer };
}

/** A session just opened by a login or a registration. */
export function openSession(ledger: Ledger, account: Account, token: string): Session {
  const session: Session = { account, token, rotated: [], revoked: false, unsure: false };
  ledger.sessions.push(session);
  return session;
}

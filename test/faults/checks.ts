import { decodeJwt } from 'jose';
import { type Answer, post, type Target } from './client.js';
import type { Account, Ledger, Operation, Session } from './ledger.js';
import { type Backing, query } from './stores.js';

/** How a write answered as failed turned out, once the system serves again. */
export type Settled = 'not happened' | 'returned by retry' | 'found' | 'unsettled';

export interface Verdicts {
  /** Every broken promise, in words: a lost write, a phantom write, a revoked token that validates. */
  problems: string[];
  settled: Map<Operation, Settled>;
  accountFound: Map<Account, boolean>;
  sessionFound: Map<Session, boolean>;
}

/** Runs `work` over `items`, a few at a time. */
async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>, limit = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

const jtiOf = (token: string) => String(decodeJwt(token).jti);
const validates = async (target: Target, token: string) => (await post(target, '/token/validate', { token })).status;

/**
 * Settles every write the load saw fail, then checks every write it saw acknowledged. A failed
 * write must not have happened, or be returned by its retry with the same `Idempotency-Key`, or —
 * where the server does not replay it — be found whole in the system.
 */
export async function checkWrites(ledger: Ledger, target: Target, backing: Backing): Promise<Verdicts> {
  const verdicts: Verdicts = { problems: [], settled: new Map(), accountFound: new Map(), sessionFound: new Map() };
  const failed = ledger.operations.filter((o) => o.outcome === 'failed' && o.op !== 'validate');
  await eachLimited(failed, async (operation) => {
    verdicts.settled.set(operation, await settle(operation, target, backing, verdicts.problems));
  });
  await eachLimited(
    ledger.accounts.filter((a) => a.id !== undefined),
    async (account) => {
      const answer = await post(target, '/token', { username: account.username, password: account.password });
      const found = answer.status === 200 && (answer.body.user as { ID?: number } | undefined)?.ID === account.id;
      verdicts.accountFound.set(account, found);
      if (!found)
        verdicts.problems.push(
          `lost write: ${account.username} (user ${account.id}) was registered but its login answers ${answer.status} ${answer.body.code ?? ''}`,
        );
    },
  );
  await eachLimited(
    ledger.sessions.filter((s) => !s.unsure),
    async (session) => {
      const found = await checkSession(session, target, verdicts.problems);
      verdicts.sessionFound.set(session, found);
    },
  );
  return verdicts;
}

/** A session's live token validates, unless it was revoked; no token it rotated or revoked does. */
async function checkSession(session: Session, target: Target, problems: string[]): Promise<boolean> {
  let found = true;
  const dead = session.revoked ? [...session.rotated, session.token] : session.rotated;
  if (!session.revoked) {
    const status = await validates(target, session.token);
    if (status !== 200) {
      found = false;
      problems.push(`lost write: the live token ${jtiOf(session.token)} of ${session.account.username} answers ${status} to validate`);
    }
  }
  for (const token of dead) {
    const status = await validates(target, token);
    if (status !== 401) {
      found = false;
      problems.push(
        `a ${session.revoked && token === session.token ? 'revoked' : 'rotated'} token ${jtiOf(token)} of ${session.account.username} answers ${status} to validate`,
      );
    }
  }
  return found;
}

/**
 * A key whose first try was cut off by an outage may stay claimed until the claim goes stale (the
 * gateway could not let it go while NATS was away): a client asks again after `409 in flight`, as
 * the README says, for as long as a claim can last (three command timeouts) and a little more.
 */
const IN_FLIGHT_PATIENCE_MS = 20_000;

async function retryInFlight(send: () => Promise<Answer>): Promise<Answer> {
  const until = Date.now() + IN_FLIGHT_PATIENCE_MS;
  for (;;) {
    const answer = await send();
    if (answer.status !== 409 || answer.body.code !== 'headlesskey_idempotency_key_in_flight' || Date.now() > until) return answer;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function settle(operation: Operation, target: Target, backing: Backing, problems: string[]): Promise<Settled> {
  const retry = (path: string, body: unknown) => retryInFlight(() => post(target, path, body, operation.key));
  const what = `${operation.op} ${operation.key} (${operation.phase})`;
  if (operation.op === 'register') {
    const account = operation.account as Account;
    const again = await retry('/register', account);
    if (again.status === 201) {
      account.id = again.body.user_id as number;
      return 'returned by retry';
    }
    const login = await post(target, '/token', { username: account.username, password: account.password });
    if (again.status === 409 && login.status === 200) {
      account.id = (login.body.user as { ID: number }).ID;
      return 'found';
    }
    problems.push(`phantom write: ${what} retried answers ${again.status}, its login ${login.status}`);
    return 'unsettled';
  }
  if (operation.op === 'login') {
    const account = operation.account as Account;
    const again = await retry('/token', { username: account.username, password: account.password });
    if (again.status === 200) return 'returned by retry';
    problems.push(`phantom write: ${what} retried answers ${again.status} ${again.body.code ?? ''}`);
    return 'unsettled';
  }
  const session = operation.session as Session;
  const token = operation.token as string;
  const before = await validates(target, token);
  if (operation.op === 'refresh') return settleRefresh(operation, session, token, before, target, backing, problems);
  // A revoke: it happened (the token no longer validates) or its retry does it now.
  if (before === 401) {
    Object.assign(session, { revoked: true, unsure: false });
    return 'found';
  }
  const again = await retry('/token/revoke', { token });
  const after = await validates(target, token);
  if (before === 200 && again.status === 200 && after === 401) {
    Object.assign(session, { revoked: true, unsure: false });
    return 'not happened';
  }
  problems.push(`phantom write: ${what}: validate answered ${before}, the retry ${again.status}, validate then ${after}`);
  return 'unsettled';
}

async function settleRefresh(
  operation: Operation,
  session: Session,
  token: string,
  before: number | string,
  target: Target,
  backing: Backing,
  problems: string[],
): Promise<Settled> {
  if (before === 200) {
    session.unsure = false;
    return 'not happened';
  }
  const again = await retryInFlight(() => post(target, '/token/refresh', { token }, operation.key));
  if (again.status === 200) {
    Object.assign(session, { token: again.body.token as string, rotated: [...session.rotated, token], unsure: false });
    return 'returned by retry';
  }
  // Not replayed: the refresh must then be whole in the tokens store, its successor merely unknown to the client.
  const jti = jtiOf(token);
  const rows = await query(backing, 'tokens', `select 1 from events where type = 'token.refreshed' and data->>'parent_jti' = $1`, [jti]);
  if (before === 401 && rows.length > 0) return 'found';
  problems.push(
    `phantom write: refresh ${operation.key} (${operation.phase}) of ${jti}: validate answered ${before}, the retry ${again.status} ${again.body.code ?? ''}, ${rows.length} token.refreshed events`,
  );
  return 'unsettled';
}

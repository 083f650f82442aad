import type { Target } from './client.js';
import { newAccount, openSession, perform } from './client.js';
import type { Account, Ledger, Operation, Session } from './ledger.js';

/** Each client's round: mostly validations and refreshes, a login, a logout; a registration every other round. */
const ROUND = ['validate', 'refresh', 'validate', 'login', 'validate', 'refresh', 'validate', 'revoke', 'validate', 'register'] as const;
/** A client's pause between two operations: 20 clients send at most about 130 requests a second. */
const THINK_MS = 150;
/** A bound on any one phase's requests, whatever happens: about a minute of load at full speed. */
const MAX_OPERATIONS_PER_CLIENT = 400;

export interface LoadOptions {
  clients: number;
  target: Target;
  ledger: Ledger;
}

interface Client {
  index: number;
  accounts: Account[];
  /** Sessions it holds and may use: not revoked, not unsure. */
  live: Session[];
  step: number;
}

/**
 * Clients that register, log in, refresh, validate and log out, each with users and sessions of
 * its own, pausing between operations. The load runs in phases: `run(phase)` starts every client,
 * the returned `stop()` lets each finish its operation (retries included) and resolves then.
 */
export function mixedLoad(opts: LoadOptions) {
  const clients: Client[] = Array.from({ length: opts.clients }, (_, index) => ({ index, accounts: [], live: [], step: 0 }));

  const run = (phase: string) => {
    let stopping = false;
    const loops = clients.map(async (client) => {
      const meta = { client: client.index, phase: () => phase };
      for (let n = 0; n < MAX_OPERATIONS_PER_CLIENT && !stopping; n++) {
        await nextOperation(opts, client, meta);
        await new Promise((r) => setTimeout(r, THINK_MS));
      }
    });
    return {
      stop: async () => {
        stopping = true;
        await Promise.all(loops);
      },
    };
  };
  return { run };
}

type Meta = { client: number; phase: () => string };

async function nextOperation(opts: LoadOptions, client: Client, meta: Meta): Promise<void> {
  const kind = ROUND[client.step++ % ROUND.length] as (typeof ROUND)[number];
  if (client.accounts.length === 0 || (kind === 'register' && client.step % (2 * ROUND.length) === 0)) {
    return register(opts, client, meta);
  }
  const session = client.live[client.step % Math.max(1, client.live.length)];
  if (!session || kind === 'login' || (kind === 'revoke' && client.live.length < 2)) {
    return login(opts, client, meta, client.accounts[client.step % client.accounts.length] as Account);
  }
  if (kind === 'refresh') return refresh(opts, client, meta, session);
  if (kind === 'revoke') return revoke(opts, client, meta, session);
  const { operation } = await perform(
    opts.ledger,
    opts.target,
    meta,
    'validate',
    '/token/validate',
    { token: session.token },
    {
      session,
      token: session.token,
    },
  );
  settle(client, session, operation);
}

/** A registration answered 409 after a try went unanswered may be that same registration: the checks settle it. */
async function register(opts: LoadOptions, client: Client, meta: Meta): Promise<void> {
  const account = newAccount(client.index);
  opts.ledger.accounts.push(account);
  const { operation, answer } = await perform(opts.ledger, opts.target, meta, 'register', '/register', account, { account });
  if (operation.outcome === 'ok') {
    account.id = answer.body.user_id as number;
    client.accounts.push(account);
    const token = (answer.body.token_response as { token: string }).token;
    operation.session = openSession(opts.ledger, account, token);
    client.live.push(operation.session);
  } else if (answer.status === 409) {
    ownEarlierTry(operation);
  }
}

async function login(opts: LoadOptions, client: Client, meta: Meta, account: Account): Promise<void> {
  const { operation, answer } = await perform(
    opts.ledger,
    opts.target,
    meta,
    'login',
    '/token',
    { username: account.username, password: account.password },
    { account },
  );
  if (operation.outcome !== 'ok') return;
  operation.session = openSession(opts.ledger, account, answer.body.token as string);
  client.live.push(operation.session);
}

async function refresh(opts: LoadOptions, client: Client, meta: Meta, session: Session): Promise<void> {
  const token = session.token;
  const { operation, answer } = await perform(opts.ledger, opts.target, meta, 'refresh', '/token/refresh', { token }, { session, token });
  if (operation.outcome === 'ok') {
    session.rotated.push(token);
    session.token = answer.body.token as string;
    return;
  }
  if (answer.status === 401) ownEarlierTry(operation);
  settle(client, session, operation);
}

async function revoke(opts: LoadOptions, client: Client, meta: Meta, session: Session): Promise<void> {
  const token = session.token;
  const { operation } = await perform(opts.ledger, opts.target, meta, 'revoke', '/token/revoke', { token }, { session, token });
  if (operation.outcome === 'ok') session.revoked = true;
  else session.unsure = true;
  client.live = client.live.filter((s) => s !== session);
}

/** A session whose write went unanswered is left for the checks: reusing its token could end it as reuse. */
function settle(client: Client, session: Session, operation: Operation): void {
  if (operation.outcome === 'ok') return;
  session.unsure = true;
  client.live = client.live.filter((s) => s !== session);
}

/**
 * A refusal after a try that went unanswered may answer that try's own doing (a 409 for the user it
 * made, a 401 for the token it rotated): whether the write happened is then for the checks to find out.
 */
function ownEarlierTry(operation: Operation): void {
  if (operation.tries > 1) operation.outcome = 'failed';
}

import type { RunningSystem } from '@headlesskey/local';
import type autocannon from 'autocannon';
import { type Credentials, openSessions, registerUser, registerUsers } from './fixtures.js';
import { jsonPost, type LoadTarget, type Measurement, measure } from './load.js';
import type { BenchSettings } from './settings.js';

export interface StackResults {
  /** validate and refresh at the lower connection counts; the logins at every one. */
  validate: Measurement[];
  token: Measurement[];
  refresh: Measurement[];
  /**
   * validate and refresh at the top connection count, measured back to back (validate first),
   * `PAIRS` times: a shared machine's speed can drift by a third within minutes, so their ratio is taken
   * between runs seconds apart, never across the login runs.
   */
  pairs: { validate: Measurement; refresh: Measurement }[];
}

export const PAIRS = 3;

/** A token the stack issued, for the validate runs and the jose baseline. */
export async function stackToken(system: RunningSystem): Promise<string> {
  return (await registerUser(system.apiUrl, 'benchval')).token;
}

/**
 * `/token/validate`, `/token` and `/token/refresh` through the gateway: validate and refresh at
 * the lower connection counts, the logins at every one, then the validate and refresh pairs at
 * the top one.
 */
export async function runStackScenarios(system: RunningSystem, settings: BenchSettings, token: string): Promise<StackResults> {
  const base = new URL(system.apiUrl).pathname;
  const top = Math.max(...settings.connections);
  const lower = settings.connections.filter((c) => c !== top);
  const run = async (label: string, connections: number, requests: LoadTarget['requests']) =>
    measure({ label, origin: system.url, connections, requests }, settings.seconds, settings.warmupSeconds);

  const validateRequest = jsonPost(`${base}/token/validate`, { token });
  const validating = () => () => [validateRequest];
  const validate: Measurement[] = [];
  for (const connections of lower) validate.push(await run('validate', connections, validating));

  // One user per connection, each from an address of its own, as many clients would log in.
  const users = await registerUsers(system.apiUrl, 'benchlogin', top);
  const login: Measurement[] = [];
  for (const connections of settings.connections) {
    login.push(await run('token', connections, () => (i) => [fromClient(i, jsonPost(`${base}/token`, credentialsOf(users, i)))]));
  }

  const refreshUser = await registerUser(system.apiUrl, 'benchrefresh');
  const refreshing = async (connections: number, devices: string): Promise<LoadTarget['requests']> => {
    const tokens = await openSessions(system.apiUrl, refreshUser, connections, devices);
    return () => (i) => rotating(`${base}/token/refresh`, tokenOf(tokens, i));
  };
  const refresh: Measurement[] = [];
  for (const connections of lower) refresh.push(await run('refresh', connections, await refreshing(connections, `bench${connections}`)));

  const pairs: StackResults['pairs'] = [];
  for (let pair = 1; pair <= PAIRS; pair++) {
    // The sessions first: their logins' bcrypt work is over before either run starts.
    const sessions = await refreshing(top, `bench${top}-${pair}`);
    pairs.push({ validate: await run('validate', top, validating), refresh: await run('refresh', top, sessions) });
  }
  return { validate, token: login, refresh, pairs };
}

/**
 * A connection's own session: each refresh sends the token the previous one returned. The state
 * lives in this closure, per connection, because autocannon resets its `context` every time a
 * connection loops back to its first (here: only) request.
 */
function rotating(path: string, first: string): autocannon.Request[] {
  let token = first;
  const request = jsonPost(path, { token });
  return [
    {
      ...request,
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ token }) }),
      onResponse: (status, body) => {
        if (status === 200) token = (JSON.parse(body) as { token: string }).token;
      },
    },
  ];
}

/**
 * A client address of RFC 2544's benchmarking range, through the gateway's trusted proxy header.
 * Identity counts every login in flight against its client IP until the password check ends, so
 * 50 concurrent logins from one address reach `ip_max_attempts` (20) and are refused with 429.
 */
export function fromClient(connection: number, request: autocannon.Request): autocannon.Request {
  const address = `198.18.${connection >> 8}.${(connection & 255) + 1}`;
  return { ...request, headers: { ...request.headers, 'x-forwarded-for': address } };
}

export function credentialsOf(users: Credentials[], i: number): Credentials {
  const user = users[i];
  if (!user) throw new Error(`no user prepared for connection ${i}`);
  return { username: user.username, password: user.password };
}

function tokenOf(tokens: string[], i: number): string {
  const token = tokens[i];
  if (!token) throw new Error(`no session prepared for connection ${i}`);
  return token;
}

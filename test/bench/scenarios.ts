import type { RunningSystem } from '@headlesskey/local';
import type autocannon from 'autocannon';
import { type Credentials, openSessions, registerUser, registerUsers } from './fixtures.js';
import { jsonPost, type LoadTarget, type Measurement, measure } from './load.js';
import type { BenchSettings } from './settings.js';

export interface StackResults {
  validate: Measurement[];
  token: Measurement[];
  refresh: Measurement[];
}

/** A token the stack issued, for the validate runs and the jose baseline. */
export async function stackToken(system: RunningSystem): Promise<string> {
  return (await registerUser(system.apiUrl, 'benchval')).token;
}

/** `/token/validate`, `/token` and `/token/refresh` through the gateway, at each connection count. */
export async function runStackScenarios(system: RunningSystem, settings: BenchSettings, token: string): Promise<StackResults> {
  const base = new URL(system.apiUrl).pathname;
  const at = (label: string, requests: (connections: number) => Promise<LoadTarget['requests']>) =>
    eachConnectionCount(settings, async (connections) => ({
      label,
      origin: system.url,
      connections,
      requests: await requests(connections),
    }));

  const validate = await at('validate', async () => {
    const request = jsonPost(`${base}/token/validate`, { token });
    return () => () => [request];
  });

  // One user per connection, each from an address of its own, as many clients would log in.
  const users = await registerUsers(system.apiUrl, 'benchlogin', Math.max(...settings.connections));
  const login = await at('token', async () => () => (i) => [fromClient(i, jsonPost(`${base}/token`, credentialsOf(users, i)))]);

  const refreshUser = await registerUser(system.apiUrl, 'benchrefresh');
  const refresh = await at('refresh', async (connections) => {
    const tokens = await openSessions(system.apiUrl, refreshUser, connections, `bench${connections}`);
    return () => (i) => rotating(`${base}/token/refresh`, tokenOf(tokens, i));
  });

  return { validate, token: login, refresh };
}

async function eachConnectionCount(settings: BenchSettings, target: (connections: number) => Promise<LoadTarget>): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const connections of settings.connections) {
    results.push(await measure(await target(connections), settings.seconds, settings.warmupSeconds));
  }
  return results;
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
function fromClient(connection: number, request: autocannon.Request): autocannon.Request {
  const address = `198.18.${connection >> 8}.${(connection & 255) + 1}`;
  return { ...request, headers: { ...request.headers, 'x-forwarded-for': address } };
}

function credentialsOf(users: Credentials[], i: number): Credentials {
  const user = users[i];
  if (!user) throw new Error(`no user prepared for connection ${i}`);
  return { username: user.username, password: user.password };
}

function tokenOf(tokens: string[], i: number): string {
  const token = tokens[i];
  if (!token) throw new Error(`no session prepared for connection ${i}`);
  return token;
}

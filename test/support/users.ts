import { randomBytes } from 'node:crypto';
import type { TestSystem } from './system.js';

export const PASSWORD = 'correct horse battery staple';

/** A fresh username, email and policy-proof password. */
export function newUser(prefix = 'user') {
  const username = `${prefix}_${randomBytes(4).toString('hex')}`;
  return { username, email: `${username}@example.com`, password: PASSWORD };
}

interface TokenBody {
  token: string;
  jti: string;
  user: { ID: number; user_login: string; roles: string[] };
}

/** Registers a user and logs in once: the token of that login. */
export async function registerAndLogin(system: TestSystem, headers: Record<string, string> = {}, prefix = 'user') {
  const user = newUser(prefix);
  const registered = await system.post<{ user_id: number }>('/register', user);
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  const login = await system.post<TokenBody>('/token', { username: user.username, password: user.password }, headers);
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  return { ...user, id: registered.body.user_id, token: login.body.token, jti: login.body.jti };
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

import { randomBytes } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

interface Issued {
  token: string;
}

/** Strong enough for the password policy and the common-password list. */
const PASSWORD = `bench ${randomBytes(9).toString('base64url')} staple`;
/** bcrypt work runs 4 at a time in identity's threadpool: more in flight only queues. */
const SETUP_CONCURRENCY = 4;
const UNAVAILABLE_TRIES = 5;

/** A new user; registration answers a token of a session of its own, which stays live. */
export function registerUser(apiUrl: string, prefix: string): Promise<Credentials & { token: string }> {
  return untilAvailable(async () => {
    const username = `${prefix}_${randomBytes(5).toString('hex')}`;
    const user = { username, email: `${username}@example.com`, password: PASSWORD };
    const body = await post<{ token_response: Issued }>(apiUrl, '/register', user, 201);
    return { username, password: PASSWORD, token: body.token_response.token };
  });
}

export function registerUsers(apiUrl: string, prefix: string, count: number): Promise<Credentials[]> {
  return inBatches(count, () => registerUser(apiUrl, prefix));
}

/** One session per token: each login names a device of its own, so none takes another's slot. */
export function openSessions(apiUrl: string, user: Credentials, count: number, devicePrefix: string): Promise<string[]> {
  // A retried login takes its device's slot again: the token it answers is the live one.
  return inBatches(count, (i) =>
    untilAvailable(async () => (await post<Issued>(apiUrl, '/token', { ...user, device: `${devicePrefix}-${i}` }, 200)).token),
  );
}

export async function post<T>(apiUrl: string, path: string, body: unknown, expected: number): Promise<T> {
  const res = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== expected)
    throw new ReplyError(`POST ${path} answered ${res.status}, expected ${expected}: ${text.slice(0, 300)}`, res.status);
  return JSON.parse(text) as T;
}

class ReplyError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * A 503 means a service is still busy with the previous run's load: the whole step (a fresh
 * username included, in case the refused one was registered after all) is tried again.
 */
async function untilAvailable<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof ReplyError) || err.status !== 503 || attempt === UNAVAILABLE_TRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

async function inBatches<T>(count: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const made: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) made[i] = await make(i);
  };
  await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, count) }, worker));
  return made;
}

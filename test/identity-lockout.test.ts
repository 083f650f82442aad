import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceDb } from './support/settings.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { PASSWORD, registerAndLogin } from './support/users.js';

const ADMIN = { username: 'lockout_admin', email: 'lockout-admin@example.com', password: 'the administrators own passphrase' };

interface WpError {
  code: string;
  message: string;
  data: { status: number; retry_after?: number };
}

/**
 * The fast lockout of an account from one client address with the default policy (5 failures in
 * 15 minutes lock for 15 minutes), on two identity replicas. The gateway trusts loopback as a
 * proxy here, so each test comes from client addresses of its own and the per-IP block (20
 * failures) never gets in the way; identity-ip-block.test.ts tests that, and
 * identity-account-lock.test.ts the lock of an account from every address.
 */
describe('account lockout', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // Two identity replicas share the commands: the counters must hold across both.
    system = await startTestSystem({
      services: { identity: 2 },
      env: {
        HEADLESSKEY_TRUSTED_PROXIES: '127.0.0.1',
        HEADLESSKEY_ADMIN_LOGIN: ADMIN.username,
        HEADLESSKEY_ADMIN_EMAIL: ADMIN.email,
        HEADLESSKEY_ADMIN_PASSWORD: ADMIN.password,
      },
    });
  });
  afterAll(() => system?.stop());

  let clients = 0;
  /** A client address of its own, through the trusted proxy, and a device name. */
  const client = () => ({ 'x-forwarded-for': `198.51.100.${++clients}`, 'x-device-id': `device-${clients}` });
  const login = (username: string, password: string, headers: Record<string, string>) =>
    system.post<WpError & { token: string }>('/token', { username, password }, headers);
  const fail = async (username: string, headers: Record<string, string>, times: number) => {
    const answers = [];
    for (let i = 0; i < times; i++) answers.push(await login(username, 'a wrong password for sure', headers));
    return answers;
  };

  it('locks after five failures; then even the right password is refused, with Retry-After', async () => {
    const user = await registerAndLogin(system);
    const from = client();
    for (const answer of await fail(user.username, from, 5)) expect(answer.body.code).toBe('headlesskey_invalid_credentials');
    const locked = await login(user.username, PASSWORD, from);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'headlesskey_account_locked', data: { status: 429 } });
    const retryAfter = locked.body.data.retry_after ?? 0;
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(Number(locked.headers['retry-after'])).toBe(retryAfter);
    // The login and the email name the same account.
    expect((await login(user.email, PASSWORD, from)).body.code).toBe('headlesskey_account_locked');
  });

  it('locks the account only for the address that failed: its owner elsewhere still logs in', async () => {
    const user = await registerAndLogin(system);
    const attacker = client();
    await fail(user.username, attacker, 5);
    expect((await login(user.username, PASSWORD, attacker)).status).toBe(429);
    const owner = await login(user.username, PASSWORD, client());
    expect(owner.status).toBe(200);
    // The owner's success clears only the owner's own address: the attacker's lock stays.
    expect((await login(user.username, PASSWORD, attacker)).body.code).toBe('headlesskey_account_locked');
  });

  it('keeps the administrator able to log in from elsewhere after anonymous failures', async () => {
    await fail(ADMIN.username, client(), 5);
    expect((await login(ADMIN.username, ADMIN.password, client())).status).toBe(200);
  });

  it('locks unknown usernames the same way, look-alike spellings included, with the same answers', async () => {
    const known = await registerAndLogin(system);
    const ghost = `ghost_${randomBytes(4).toString('hex')}`;
    const [knownFrom, ghostFrom] = [client(), client()];
    const knownFailures = await fail(known.username, knownFrom, 5);
    const ghostFailures = [
      ...(await fail(ghost, ghostFrom, 3)),
      ...(await fail(` ${ghost.toUpperCase().replace('_', '＿')}`, ghostFrom, 2)),
    ];
    for (const [k, g] of knownFailures.map((a, i) => [a, ghostFailures[i]!] as const)) {
      expect({ status: g.status, body: g.body }).toEqual({ status: k.status, body: k.body });
    }
    const knownLocked = await login(known.username, PASSWORD, knownFrom);
    const ghostLocked = await login(ghost, PASSWORD, ghostFrom);
    expect(ghostLocked.status).toBe(knownLocked.status);
    const { retry_after: ghostRetry, ...ghostData } = ghostLocked.body.data;
    const { retry_after: knownRetry, ...knownData } = knownLocked.body.data;
    expect({ ...ghostLocked.body, data: ghostData }).toEqual({ ...knownLocked.body, data: knownData });
    expect(Math.abs((ghostRetry ?? 0) - (knownRetry ?? 0))).toBeLessThanOrEqual(2);
    expect(Object.keys(ghostLocked.headers).includes('retry-after')).toBe(true);
  });

  it('checks no more than five of 100 parallel wrong passwords, then refuses the right one', async () => {
    const user = await registerAndLogin(system);
    const from = client();
    const answers = await Promise.all(Array.from({ length: 100 }, () => login(user.username, 'a wrong password for sure', from)));
    const checked = answers.filter((a) => a.body.code === 'headlesskey_invalid_credentials').length;
    const refused = answers.filter((a) => a.body.code === 'headlesskey_account_locked').length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked + refused).toBe(100);
    const right = await login(user.username, PASSWORD, from);
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);

    const db = await serviceDb(system, 'identity');
    try {
      const { rows } = await db.query<{ type: string; n: number }>(
        'select type, count(*)::int as n from events where stream_id = $1 group by type order by type',
        [`signin-user-${user.id}`],
      );
      // The one login of registerAndLogin, the checked failures, and one lock.
      expect(rows).toEqual([
        { type: 'auth.account.locked', n: 1 },
        { type: 'auth.login.failed', n: checked },
        { type: 'auth.login.succeeded', n: 1 },
      ]);
    } finally {
      await db.end();
    }
  });

  it('keeps the count and the lock through a restart of identity', async () => {
    const user = await registerAndLogin(system);
    const from = client();
    await fail(user.username, from, 3);
    await system.restart('identity');
    await fail(user.username, from, 2);
    expect((await login(user.username, PASSWORD, from)).body.code).toBe('headlesskey_account_locked');
  });

  it('forgets the failures after a successful login', async () => {
    const user = await registerAndLogin(system);
    const from = client();
    await fail(user.username, from, 4);
    expect((await login(user.username, PASSWORD, from)).status).toBe(200);
    for (const answer of await fail(user.username, from, 4)) expect(answer.status).toBe(403);
    expect((await login(user.username, PASSWORD, from)).status).toBe(200);
  });

  it('records failures, the lock and successes with the client address and device', async () => {
    const user = await registerAndLogin(system);
    const from = client();
    await fail(user.username, from, 5);
    const db = await serviceDb(system, 'identity');
    try {
      const { rows } = await db.query<{ type: string; data: Record<string, unknown>; meta: Record<string, unknown> }>(
        `select type, data, meta from events where stream_id = $1 and type <> 'auth.login.succeeded' order by version`,
        [`signin-user-${user.id}`],
      );
      expect(rows.map((r) => r.type)).toEqual([...Array(5).fill('auth.login.failed'), 'auth.account.locked']);
      for (const row of rows) expect(row.meta).toMatchObject({ ip: from['x-forwarded-for'], device: from['x-device-id'] });
      expect(rows[0]?.data).toEqual({ user_id: user.id, reason: 'invalid_credentials' });
      expect(rows[5]?.data).toMatchObject({ user_id: user.id, scope: 'client', lockout_seconds: 900 });
      expect(JSON.stringify(rows)).not.toContain('a wrong password');
    } finally {
      await db.end();
    }
  });

  it('is lifted by an administrator, and only by one', async () => {
    const user = await registerAndLogin(system);
    const from = client();
    await fail(user.username, from, 5);
    expect((await login(user.username, PASSWORD, from)).status).toBe(429);
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const self = await system.post(`/users/${user.id}/unlock`, undefined, bearer(user.token));
    expect(self).toMatchObject({ status: 403, body: { code: 'headlesskey_forbidden' } });
    const admin = await login(ADMIN.username, ADMIN.password, client());
    expect(admin.status).toBe(200);
    expect(await system.post(`/users/${user.id}/unlock`, undefined, bearer(admin.body.token))).toMatchObject({
      status: 200,
      body: { unlocked: true },
    });
    expect((await login(user.username, PASSWORD, from)).status).toBe(200);
    expect((await system.post(`/users/${user.id}/unlock`, undefined, bearer(admin.body.token))).body).toEqual({ unlocked: false });
    expect((await system.post('/users/999999/unlock', undefined, bearer(admin.body.token))).status).toBe(404);
  });
});

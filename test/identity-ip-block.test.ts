import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceDb } from './support/settings.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { newUser, PASSWORD, registerAndLogin } from './support/users.js';

/**
 * The per-IP block with the default policy (20 failures across any usernames). No proxy is
 * trusted here, so every request comes from 127.0.0.1 whatever its forwarding headers claim.
 */
describe('client IP block', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  let spoofs = 0;
  /** Forwarding headers a client might forge to look like someone new each time. */
  const spoofed = () => {
    spoofs++;
    return { 'x-forwarded-for': `203.0.113.${spoofs}`, 'x-real-ip': `203.0.113.${spoofs}`, forwarded: `for=203.0.113.${spoofs}` };
  };
  const wrongLogin = () =>
    system.post<{ code: string }>(
      '/token',
      { username: `nobody_${randomBytes(4).toString('hex')}`, password: 'a wrong password' },
      spoofed(),
    );

  it('never blocks many users logging in at once from one address', async () => {
    const users = Array.from({ length: 30 }, () => newUser());
    const registered = await Promise.all(users.map((u) => system.post('/register', u)));
    expect(registered.map((r) => r.status)).toEqual(Array(30).fill(201));
    // 30 in flight at once, more than the 20 failures that block: only failures may count.
    const logins = await Promise.all(users.map((u) => system.post('/token', { username: u.username, password: PASSWORD })));
    expect(logins.filter((l) => l.status !== 200).map((l) => l.body)).toEqual([]);
  });

  it('blocks the address after 20 failures across usernames, ignoring forged forwarding headers', async () => {
    const user = await registerAndLogin(system);
    for (let i = 0; i < 10; i++) expect((await wrongLogin()).body.code).toBe('headlesskey_invalid_credentials');
    // Successful logins are not failures: they neither count toward the block nor lift it.
    let token = user.token;
    for (let i = 0; i < 5; i++) {
      const ok = await system.post<{ token: string }>('/token', { username: user.username, password: PASSWORD }, spoofed());
      expect(ok.status).toBe(200);
      token = ok.body.token;
    }
    for (let i = 0; i < 10; i++) expect((await wrongLogin()).body.code).toBe('headlesskey_invalid_credentials');

    const blocked = await system.post<{ code: string; data: { retry_after: number } }>(
      '/token',
      { username: user.username, password: PASSWORD },
      spoofed(),
    );
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'headlesskey_ip_blocked', data: { status: 429 } });
    expect(blocked.body.data.retry_after).toBeGreaterThan(890);
    expect(Number(blocked.headers['retry-after'])).toBe(blocked.body.data.retry_after);
    // Change password from a blocked address is refused the same way, before the password is looked at.
    const change = await system.post(
      '/change-password',
      { current_password: PASSWORD, new_password: 'a brand new passphrase for testing' },
      { authorization: `Bearer ${token}` },
    );
    expect(change).toMatchObject({ status: 429, body: { code: 'headlesskey_ip_blocked' } });

    const db = await serviceDb(system, 'identity');
    try {
      const { rows } = await db.query('select stream_id, data from events where type = $1', ['auth.ip.blocked']);
      expect(rows).toEqual([{ stream_id: 'signin-ip-127.0.0.1', data: expect.objectContaining({ ip: '127.0.0.1', block_seconds: 900 }) }]);
    } finally {
      await db.end();
    }
  });
});

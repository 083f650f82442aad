import { describe, expect, it } from 'vitest';
import type { Mailbox } from './support/mailbox.js';
import { forgot, keyOf, NEW_PASSWORD, withMailSystem } from './support/passwords.js';
import { serviceDb } from './support/settings.js';
import type { TestSystem } from './support/system.js';
import { eventually, registerAndLogin } from './support/users.js';

/**
 * Reset mails are limited per account and asking address (5 an hour), under a ceiling per account
 * over all addresses (50 an hour). The gateway trusts loopback as a proxy, so each request names
 * its client address in `X-Forwarded-For`.
 */
describe('reset mail limits', () => {
  let system: TestSystem;
  let mailbox: Mailbox;
  withMailSystem(
    (started, box) => {
      system = started;
      mailbox = box;
    },
    { HEADLESSKEY_TRUSTED_PROXIES: '127.0.0.1' },
  );

  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const SENT = { status: 200, body: { message: 'Password reset email sent.' } };

  /** Waits until the mail queue is empty: every request so far was mailed or dropped. */
  async function drained() {
    const db = await serviceDb(system, 'identity');
    try {
      await eventually(
        async () => ((await db.query('select 1 from reset_mail_jobs')).rowCount === 0 ? true : undefined),
        30_000,
        'an empty mail queue',
      );
    } finally {
      await db.end();
    }
  }

  it("answers a stranger's sixth request the same, drops its mail, and still mails the owner from another address", async () => {
    const user = await registerAndLogin(system);
    for (let i = 0; i < 6; i++) expect(await forgot(system, user.username, 'link', from('203.0.113.66'))).toMatchObject(SENT);
    await drained();
    expect(mailbox.count(user.email)).toBe(5);

    expect(await forgot(system, user.email, 'link', from('198.51.100.20'))).toMatchObject(SENT);
    const mail = await mailbox.nth(user.email, 6);
    const reset = await system.post('/reset-password', { login: user.username, password: NEW_PASSWORD, token: keyOf(mail) });
    expect(reset.status).toBe(200);
  });

  it('keeps a ceiling over all addresses, so a mailbox cannot be flooded from many', async () => {
    const user = await registerAndLogin(system);
    for (let net = 1; net <= 10; net++) {
      const replies = await Promise.all(Array.from({ length: 5 }, () => forgot(system, user.username, 'otp', from(`192.0.2.${net}`))));
      for (const reply of replies) expect(reply).toMatchObject(SENT);
    }
    await drained();
    expect(mailbox.count(user.email)).toBe(50);
    expect(await forgot(system, user.username, 'otp', from('192.0.2.200'))).toMatchObject(SENT);
    await drained();
    expect(mailbox.count(user.email)).toBe(50);
  });
});

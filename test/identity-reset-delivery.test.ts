import { freePort } from '@headlesskey/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mailbox, startMailbox } from './support/mailbox.js';
import { forgot, isResetMail, keyOf, mailEnv, NEW_PASSWORD } from './support/passwords.js';
import { serviceDb } from './support/settings.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, registerAndLogin } from './support/users.js';

/**
 * A reset request is answered at once and its mail is sent later, from a queue in the identity
 * store: an SMTP server that is down, then one that hangs while identity is killed mid-send,
 * delay the mail but never lose it. The job of the killed process comes back when its lease
 * (60 s) runs out, so this test takes about a minute.
 */
describe('reset mail delivery', () => {
  let smtpPort: number;
  let system: TestSystem;
  const mailboxes: Mailbox[] = [];

  beforeAll(async () => {
    smtpPort = await freePort();
    system = await startTestSystem({ env: mailEnv(`smtp://127.0.0.1:${smtpPort}`) });
  });
  afterAll(async () => {
    await system?.stop();
    for (const mailbox of mailboxes) await mailbox.close();
  });

  it('answers while SMTP is down, and mails once it is back, even after identity died mid-send', async () => {
    const user = await registerAndLogin(system);
    expect(await forgot(system, user.username, 'link')).toMatchObject({ status: 200, body: { message: 'Password reset email sent.' } });

    const db = await serviceDb(system, 'identity');
    try {
      // The first try failed (nothing listens): the request waits in the queue for a retry, holding no secret.
      const queued = await eventually(async () => {
        const { rows } = await db.query("select * from reset_mail_jobs where attempts >= 1 and not_before < now() + interval '30 seconds'");
        return rows[0];
      });
      expect(Object.keys(queued).sort()).toEqual([
        'attempts',
        'delivery',
        'id',
        'kind',
        'login_key',
        'meta',
        'not_before',
        'requested_at',
        'user_id',
      ]);
    } finally {
      await db.end();
    }

    // A server that takes the mail's data and never answers: identity dies while it waits.
    const hanging = await startMailbox({ port: smtpPort, delayMs: 600_000 });
    await eventually(async () => (hanging.received > 0 ? true : undefined), 20_000, 'the retried mail in flight');
    await system.kill('identity', 'SIGKILL');
    await hanging.close();
    const mailbox = await startMailbox({ port: smtpPort });
    mailboxes.push(mailbox);
    await system.restart('identity');

    const mail = await mailbox.nth(user.email, 1, 90_000);
    expect((await system.post('/reset-password', { login: user.username, password: NEW_PASSWORD, token: keyOf(mail) })).status).toBe(200);
    expect(mailbox.count(user.email, isResetMail)).toBe(1);
    expect(hanging.mails).toHaveLength(0);
  }, 150_000);
});

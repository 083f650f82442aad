import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mailbox, type ReceivedMail, startMailbox } from './support/mailbox.js';
import { forgot, isNotice, keyOf, mailEnv, NEW_PASSWORD } from './support/passwords.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { PASSWORD, registerAndLogin } from './support/users.js';

/**
 * After a password change or reset the account's address gets a notice: which account, when,
 * from which address and device, and what to do if it was not its owner. It is queued with the
 * change and sent by the mail worker, and it carries no secret.
 */
describe('security notices', () => {
  let mailbox: Mailbox;
  let system: TestSystem;

  beforeAll(async () => {
    mailbox = await startMailbox();
    system = await startTestSystem({ env: { ...mailEnv(mailbox.url), HEADLESSKEY_TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(async () => {
    await system?.stop();
    await mailbox?.close();
  });

  /** The notice's `When:` line, as a time. */
  const whenOf = (mail: ReceivedMail) => Date.parse(/^When: (.+)$/m.exec(mail.text)?.[1] ?? '');

  function expectNoSecret(mail: ReceivedMail, secrets: string[]) {
    for (const secret of secrets) {
      for (const part of [mail.text, mail.html, mail.raw]) expect(part).not.toContain(secret);
    }
  }

  it('tells of a password change, and only of the one that happened', async () => {
    const user = await registerAndLogin(system);
    const client = {
      authorization: `Bearer ${user.token}`,
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      'x-device-id': 'ada-laptop',
    };
    const wrong = { current_password: 'not the password at all', new_password: NEW_PASSWORD };
    expect((await system.post('/change-password', wrong, { ...client, 'x-forwarded-for': '203.0.113.8' })).status).toBe(403);

    const before = Date.now();
    const changed = await system.post(
      '/change-password',
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      { ...client, 'x-forwarded-for': '203.0.113.9' },
    );
    expect(changed.status).toBe(200);

    const notice = await mailbox.nth(user.email, 1, 20_000, isNotice);
    expect(notice.subject).toBe('[HeadlessKey] Your password was changed');
    expect(notice.text).toContain(`Account: ${user.username}`);
    expect(notice.text).toContain('IP address: 203.0.113.9');
    expect(notice.text).toContain('Device: ada-laptop (Firefox 133 on Linux)');
    expect(notice.html).toContain('203.0.113.9');
    // The time of the change, to the second.
    expect(whenOf(notice)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(whenOf(notice)).toBeLessThanOrEqual(Date.now());
    expectNoSecret(notice, [PASSWORD, NEW_PASSWORD, user.token]);
    // The refused change (older, and so handled first) queued nothing: this was the first and only mail.
    expect(mailbox.count(user.email)).toBe(1);
  });

  it('tells of a password reset, without the key that made it', async () => {
    const user = await registerAndLogin(system);
    expect((await forgot(system, user.username, 'link')).status).toBe(200);
    const key = keyOf(await mailbox.nth(user.email, 1));

    const reset = await system.post(
      '/reset-password',
      { login: user.username, password: NEW_PASSWORD, token: key },
      { 'x-forwarded-for': '198.51.100.5', 'user-agent': 'ResetBrowser/2.0' },
    );
    expect(reset.status).toBe(200);

    const notice = await mailbox.nth(user.email, 1, 20_000, isNotice);
    expect(notice.subject).toBe('[HeadlessKey] Your password was reset');
    expect(notice.text).toContain(`Account: ${user.username}`);
    expect(notice.text).toContain('IP address: 198.51.100.5');
    expect(notice.text).toContain('Device: ResetBrowser/2.0');
    expect(Number.isNaN(whenOf(notice))).toBe(false);
    expectNoSecret(notice, [key, encodeURIComponent(key), NEW_PASSWORD, user.token]);
    expect(mailbox.count(user.email)).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import type { Mailbox } from './support/mailbox.js';
import { codeOf, forgot, isResetMail, NEW_PASSWORD, validate, withMailSystem } from './support/passwords.js';
import { serviceDb } from './support/settings.js';
import type { TestSystem } from './support/system.js';
import { registerAndLogin } from './support/users.js';

/** Forgot password by 6-digit code, then reset: the code's lifetime, its tries, and what it ends. */
describe('password reset by code', () => {
  let mailbox: Mailbox;
  let system: TestSystem;

  withMailSystem((started, mail) => {
    system = started;
    mailbox = mail;
  });

  const reset = (login: string, otp: string, password = NEW_PASSWORD) => system.post('/reset-password', { login, password, otp });
  /** A 6-digit code that is not `code`. */
  const wrong = (code: string, i = 1) => String((Number(code) + i) % 1_000_000).padStart(6, '0');

  it('mails a 6-digit code to the stored address; it sets the password once and ends every session', async () => {
    const user = await registerAndLogin(system);
    const second = await system.post<{ token: string }>('/token', { username: user.email, password: user.password });
    expect(await forgot(system, user.email.toUpperCase(), 'otp')).toMatchObject({ status: 200 });
    const mail = await mailbox.nth(user.email, 1);
    expect(mail.subject).toMatch(/reset code/i);
    const code = codeOf(mail);
    expect(mail.html).toContain(code);

    expect(await reset(user.username, code)).toMatchObject({ status: 200, body: { message: 'Password updated successfully.' } });
    for (const token of [user.token, second.body.token]) {
      expect(await validate(system, token)).toMatchObject({ status: 401, body: { code: 'headlesskey_token_revoked' } });
    }
    expect((await system.post('/token', { username: user.username, password: NEW_PASSWORD })).status).toBe(200);
    expect(await reset(user.username, code, `${NEW_PASSWORD} twice`)).toMatchObject({
      status: 400,
      body: { code: 'headlesskey_invalid_reset' },
    });
  });

  it('kills the code after five wrong tries, and a new code does not bring the tries back', async () => {
    const user = await registerAndLogin(system);
    await forgot(system, user.username, 'otp');
    const first = codeOf(await mailbox.nth(user.email, 1));
    for (let i = 1; i <= 5; i++) {
      expect((await reset(user.username, wrong(first, i))).body).toMatchObject({ code: 'headlesskey_invalid_reset' });
    }
    // The right code is now refused exactly like a wrong one.
    expect((await reset(user.username, first)).body).toMatchObject({ code: 'headlesskey_invalid_reset' });
    await forgot(system, user.username, 'otp');
    const second = codeOf(await mailbox.nth(user.email, 2));
    expect((await reset(user.username, second)).body).toMatchObject({ code: 'headlesskey_invalid_reset' });
    expect(await validate(system, user.token)).toMatchObject({ status: 200 });
    expect((await system.post('/token', { username: user.username, password: user.password })).status).toBe(200);
  });

  it('lets no more than five codes be compared, however many arrive at once', async () => {
    const user = await registerAndLogin(system);
    await forgot(system, user.username, 'otp');
    const code = codeOf(await mailbox.nth(user.email, 1));
    const guesses = await Promise.all(Array.from({ length: 40 }, (_, i) => reset(user.username, wrong(code, i + 1))));
    expect(guesses.every((g) => g.status === 400)).toBe(true);
    // Each try is counted before its code is compared: the refused ones never reached a comparison.
    const db = await serviceDb(system, 'identity');
    try {
      const { rows } = await db.query('select failures from attempt_counters where key = $1', [`otp:${user.id}`]);
      expect(rows).toEqual([{ failures: 5 }]);
    } finally {
      await db.end();
    }
    expect((await reset(user.username, code)).body).toMatchObject({ code: 'headlesskey_invalid_reset' });
  });

  it('leaves the tries of a right code after a few wrong ones, and clears them on success', async () => {
    const user = await registerAndLogin(system);
    await forgot(system, user.username, 'otp');
    const code = codeOf(await mailbox.nth(user.email, 1));
    for (let i = 1; i <= 4; i++) expect((await reset(user.username, wrong(code, i))).status).toBe(400);
    expect((await reset(user.username, code)).status).toBe(200);
    await forgot(system, user.username, 'otp');
    // The reset's security notice came in between: the second code mail is the second reset mail.
    const next = codeOf(await mailbox.nth(user.email, 2, undefined, isResetMail));
    for (let i = 1; i <= 4; i++) expect((await reset(user.username, wrong(next, i))).status).toBe(400);
    expect((await reset(user.username, next, `${NEW_PASSWORD} two`)).status).toBe(200);
  });

  it('does not take a code where a link was sent, nor a link key where a code was', async () => {
    const user = await registerAndLogin(system);
    await forgot(system, user.username, 'otp');
    const code = codeOf(await mailbox.nth(user.email, 1));
    const asKey = await system.post('/reset-password', { login: user.username, password: NEW_PASSWORD, token: code });
    expect(asKey).toMatchObject({ status: 400, body: { code: 'headlesskey_invalid_reset' } });
    expect((await reset(user.username, code)).status).toBe(200);
  });
});

import { describe, expect, it } from 'vitest';
import type { Mailbox } from './support/mailbox.js';
import { forgot, isResetMail, keyOf, linkOf, NEW_PASSWORD, validate, withMailSystem } from './support/passwords.js';
import { serviceDb } from './support/settings.js';
import type { TestSystem } from './support/system.js';
import { newUser, registerAndLogin } from './support/users.js';

/** Forgot password by link, then reset: over real SMTP, through the gateway, end to end. */
describe('password reset by link', () => {
  let mailbox: Mailbox;
  let system: TestSystem;

  withMailSystem((started, mail) => {
    system = started;
    mailbox = mail;
  });

  const reset = (login: string, token: string, password = NEW_PASSWORD) => system.post('/reset-password', { login, password, token });

  it('mails a one-time link to the stored address, built from configuration and not the Host header', async () => {
    const user = await registerAndLogin(system);
    // Typed in another case and width, with a hostile Host header: the mail still goes to the stored address.
    const typed = user.username.toUpperCase().replace('_', '＿');
    const answer = await forgot(system, ` ${typed} `, 'link', { host: 'attacker.example' });
    expect(answer).toMatchObject({ status: 200, body: { message: 'Password reset email sent.' } });

    const mail = await mailbox.nth(user.email, 1);
    expect(mail.to).toEqual([user.email]);
    const link = linkOf(mail);
    expect(link.origin).toBe('https://app.example.test');
    expect(link.searchParams.get('login')).toBe(user.username);
    expect(keyOf(mail)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mail.html).toContain(link.toString().replaceAll('&', '&amp;'));
    expect(mail.raw).not.toContain('attacker.example');

    expect(await reset(user.username, keyOf(mail))).toMatchObject({ status: 200, body: { message: 'Password updated successfully.' } });
    // The old token is dead the moment the answer arrives; the old password too.
    expect(await validate(system, user.token)).toMatchObject({ status: 401, body: { code: 'headlesskey_token_revoked' } });
    expect((await system.post('/token', { username: user.username, password: user.password })).status).toBe(403);
    expect((await system.post('/token', { username: user.email, password: NEW_PASSWORD })).status).toBe(200);
    // Single use.
    expect(await reset(user.username, keyOf(mail), `${NEW_PASSWORD} again`)).toMatchObject({
      status: 400,
      body: { code: 'headlesskey_invalid_reset' },
    });
  });

  it('voids the older key when a new one is asked for', async () => {
    const user = await registerAndLogin(system);
    await forgot(system, user.username, 'link');
    const first = keyOf(await mailbox.nth(user.email, 1));
    await forgot(system, user.email, 'link');
    const second = keyOf(await mailbox.nth(user.email, 2));
    expect(second).not.toBe(first);
    expect((await reset(user.username, first)).body).toMatchObject({ code: 'headlesskey_invalid_reset' });
    expect((await reset(user.username, second)).status).toBe(200);
  });

  it('lets exactly one of many parallel uses of one key through', async () => {
    const user = await registerAndLogin(system);
    await forgot(system, user.username, 'link');
    const key = keyOf(await mailbox.nth(user.email, 1));
    const passwords = Array.from({ length: 12 }, (_, i) => `${NEW_PASSWORD} number ${i}`);
    const answers = await Promise.all(passwords.map((password) => reset(user.username, key, password)));
    const winners = answers.flatMap((a, i) => (a.status === 200 ? [passwords[i]] : []));
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400).map((a) => (a.body as { code: string }).code)).toEqual(
      Array(11).fill('headlesskey_invalid_reset'),
    );
    expect((await system.post('/token', { username: user.username, password: winners[0] })).status).toBe(200);
  });

  it('answers bad, misdirected and unknown-login resets alike, and changes nothing', async () => {
    const user = await registerAndLogin(system);
    const other = await registerAndLogin(system);
    await forgot(system, user.username, 'link');
    const key = keyOf(await mailbox.nth(user.email, 1));
    const tries = await Promise.all([
      reset(user.username, 'not-a-key'),
      reset(user.username, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`),
      reset(other.username, key),
      reset(`${user.username}_nobody`, key),
      system.post('/reset-password', { login: user.username, password: NEW_PASSWORD, otp: '123456' }),
    ]);
    for (const answer of tries) {
      expect(answer).toMatchObject({
        status: 400,
        body: { code: 'headlesskey_invalid_reset', message: 'Invalid or expired password reset key.', data: { status: 400 } },
      });
    }
    expect(await validate(system, other.token)).toMatchObject({ status: 200 });
    expect((await reset(user.username, key)).status).toBe(200);
  });

  it('answers an expired key exactly as a bad one', async () => {
    const user = await registerAndLogin(system);
    await forgot(system, user.username, 'link');
    const key = keyOf(await mailbox.nth(user.email, 1));
    const bad = await reset(user.username, 'not-a-key');
    // An hour passing, in the one place identity keeps the key's lifetime for the check.
    const db = await serviceDb(system, 'identity');
    try {
      await db.query("update password_resets set expires_at = now() - interval '1 second' where user_id = $1", [user.id]);
    } finally {
      await db.end();
    }
    const expired = await reset(user.username, key);
    expect({ status: expired.status, body: expired.body }).toEqual({ status: bad.status, body: bad.body });
    expect((await system.post('/token', { username: user.username, password: user.password })).status).toBe(200);
  });

  it('asks for exactly one of token and otp, and for a password the policy accepts', async () => {
    const user = await registerAndLogin(system);
    await forgot(system, user.username, 'link');
    const key = keyOf(await mailbox.nth(user.email, 1));
    const neither = await system.post('/reset-password', { login: user.username, password: NEW_PASSWORD });
    expect(neither).toMatchObject({ status: 400, body: { code: 'rest_missing_callback_param' } });
    const both = await system.post('/reset-password', { login: user.username, password: NEW_PASSWORD, token: key, otp: '123456' });
    expect(both).toMatchObject({ status: 400, body: { code: 'rest_invalid_param' } });
    const weak = await reset(user.username, key, 'short');
    expect(weak).toMatchObject({ status: 400, body: { code: 'headlesskey_weak_password' } });
    // Refusals before the key was checked leave it usable.
    expect((await reset(user.username, key)).status).toBe(200);
  });

  it('lifts the lockout of the account it resets', async () => {
    const user = await registerAndLogin(system);
    for (let i = 0; i < 5; i++) await system.post('/token', { username: user.username, password: 'a wrong password for sure' });
    expect((await system.post('/token', { username: user.username, password: user.password })).status).toBe(429);
    await forgot(system, user.username, 'link');
    expect((await reset(user.username, keyOf(await mailbox.nth(user.email, 1)))).status).toBe(200);
    expect((await system.post('/token', { username: user.username, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('queues nothing for an unknown login and answers it exactly as a known one', async () => {
    const known = newUser();
    expect((await system.post('/register', known)).status).toBe(201);
    // Notices of the resets above may still arrive: only reset mails are counted.
    const before = mailbox.mails.filter(isResetMail).length;
    const unknown = await forgot(system, `${known.username}_nobody@example.com`, 'link');
    const answer = await forgot(system, known.username, 'link');
    expect(unknown.status).toBe(answer.status);
    expect(unknown.body).toEqual(answer.body);
    await mailbox.nth(known.email, 1);
    // Jobs are handled oldest first: once the known login's mail is in, the unknown one was dropped.
    expect(mailbox.mails.filter(isResetMail).length).toBe(before + 1);
  });
});

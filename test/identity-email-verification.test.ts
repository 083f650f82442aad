import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, call, type WpError } from './support/admin-api.js';
import type { Mailbox, ReceivedMail } from './support/mailbox.js';
import { codeOf, withMailSystem } from './support/passwords.js';
import type { TestSystem } from './support/system.js';
import { eventually, newUser } from './support/users.js';

const VERIFY_PAGE = 'https://app.example.test/verify';
const isVerification = (mail: ReceivedMail) => / Confirm your email address$| Your email confirmation code$/.test(mail.subject);

/** The key of a verification link mail, as the frontend would take it from its URL. */
function verifyKeyOf(mail: ReceivedMail): string {
  const found = new RegExp(`${VERIFY_PAGE}\\?\\S+`).exec(mail.text)?.[0];
  if (!found) throw new Error(`no verification link in: ${mail.text}`);
  return new URL(found).searchParams.get('key') ?? '';
}

/**
 * Email verification (docs/api.md, `POST /verify-email`; the `email_verification` setting): off by
 * default, as the plugin; `optional` mails a key on registration and on an email change; `required`
 * also refuses an unverified user's login — but only once the password was right.
 */
describe('email verification', () => {
  let system: TestSystem;
  let mailbox: Mailbox;
  let admin: string;
  withMailSystem(
    (s, m) => {
      system = s;
      mailbox = m;
    },
    { ...ADMIN_ENV, HEADLESSKEY_VERIFY_URL: `${VERIFY_PAGE}?login={login}&key={key}` },
  );
  beforeAll(async () => {
    admin = await adminToken(system);
  });

  const setVerification = async (mode: 'off' | 'optional' | 'required') =>
    expect((await call(system, admin, 'PATCH', '/settings', { email_verification: mode })).status).toBe(200);
  const register = async (user: { username: string; email: string; password: string }) => {
    const reply = await system.post<{ user_id: number }>('/register', user);
    expect(reply.status).toBe(201);
    return reply.body.user_id;
  };
  const login = (user: { username: string; password: string }) =>
    system.post<WpError>('/token', { username: user.username, password: user.password });
  const verify = (login: string, secret: { token?: string; otp?: string }) => system.post<WpError>('/verify-email', { login, ...secret });

  it('is off by default: no mail, and an unverified user logs in', async () => {
    const user = newUser('ev');
    const id = await register(user);
    expect((await login(user)).status).toBe(200);
    expect((await call<{ email_verified: boolean }>(system, admin, 'GET', `/users/${id}`)).body.email_verified).toBe(false);
    expect(mailbox.count(user.email, isVerification)).toBe(0);
  });

  it('required: the right password of an unverified user is refused as unverified, a wrong one as wrong; the mailed link proves the address', async () => {
    await setVerification('required');
    const user = newUser('ev');
    const id = await register(user);
    const mail = await mailbox.nth(user.email, 1, 10_000, isVerification);
    const unverified = await login(user);
    expect(unverified.status).toBe(403);
    expect(unverified.body.code).toBe('headlesskey_email_unverified');
    const wrong = await login({ username: user.username, password: 'wrong horse battery staple' });
    expect(wrong.body.code).toBe('headlesskey_invalid_credentials');

    expect((await verify(user.username, { token: 'not-the-key' })).body.code).toBe('headlesskey_invalid_verification');
    expect((await verify(user.username, { token: verifyKeyOf(mail) })).status).toBe(200);
    expect((await login(user)).status).toBe(200);
    expect((await call<{ email_verified: boolean }>(system, admin, 'GET', `/users/${id}`)).body.email_verified).toBe(true);
    const logged = await eventually(async () => {
      const page = await call<{ entries: unknown[] }>(system, admin, 'GET', `/logs?user=${id}&event=user.email_verified`);
      return page.body.entries.length === 1 ? true : undefined;
    });
    expect(logged).toBe(true);
    // Used once.
    expect((await verify(user.username, { token: verifyKeyOf(mail) })).body.code).toBe('headlesskey_invalid_verification');
  });

  it('resend: a code replaces the link, wrong codes are refused, and an unknown login gets the same answer', async () => {
    await setVerification('required');
    const user = newUser('ev');
    await register(user);
    const link = await mailbox.nth(user.email, 1, 10_000, isVerification);
    const resent = await system.post<{ message: string }>('/verify-email/resend', { login: user.email, delivery: 'otp' });
    const unknown = await system.post<{ message: string }>('/verify-email/resend', { login: `nobody_${user.username}`, delivery: 'otp' });
    expect(resent).toMatchObject({ status: 200, body: unknown.body });
    const code = codeOf(await mailbox.nth(user.email, 2, 10_000, isVerification));
    expect((await verify(user.username, { token: verifyKeyOf(link) })).body.code).toBe('headlesskey_invalid_verification');
    const wrongCode = code === '000000' ? '000001' : '000000';
    expect((await verify(user.username, { otp: wrongCode })).status).toBe(400);
    expect((await verify(user.username, { otp: code })).status).toBe(200);
    expect((await login(user)).status).toBe(200);
  });

  it('optional: a user logs in unverified; an email changed by an administrator is unverified again and mailed at its new address', async () => {
    await setVerification('optional');
    const user = newUser('ev');
    const id = await register(user);
    expect((await login(user)).status).toBe(200);
    await verify(user.username, { token: verifyKeyOf(await mailbox.nth(user.email, 1, 10_000, isVerification)) });
    const moved = `${user.username}.moved@example.com`;
    const changed = await call<{ email_verified: boolean }>(system, admin, 'PATCH', `/users/${id}`, { email: moved });
    expect(changed.body.email_verified).toBe(false);
    const mail = await mailbox.nth(moved, 1, 10_000, isVerification);
    await setVerification('required');
    expect((await login(user)).body.code).toBe('headlesskey_email_unverified');
    expect((await verify(moved, { token: verifyKeyOf(mail) })).status).toBe(200);
    expect((await login(user)).status).toBe(200);
    await setVerification('off');
  });

  it('an account an administrator makes without a password is mailed the link to choose one', async () => {
    const user = newUser('ev');
    const made = await call(system, admin, 'POST', '/users', { username: user.username, email: user.email, send_password_mail: true });
    expect(made.status).toBe(201);
    const mail = await mailbox.nth(user.email, 1, 10_000, (m) => / Reset your password$/.test(m.subject));
    expect(mail.text).toContain('https://app.example.test/reset?');
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSettings } from './support/settings.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser, PASSWORD } from './support/users.js';

const SITE_NAME = 'Analytical Engine Works';
const COMMON = 'Password is too common: it appears in lists of commonly used or breached passwords.';

interface Refusal {
  code: string;
  message: string;
}

/** The password policy at registration and reset, and names in one canonical form. */
describe('password policy', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ env: { HEADLESSKEY_SITE_NAME: SITE_NAME } });
  });
  afterAll(() => system?.stop());

  const register = (password: string, user = newUser()) => system.post<Refusal>('/register', { ...user, password });

  it('refuses common and breached passwords in any case or width, naming the rule', async () => {
    // Long entries of the top-100,000 list: the length rule alone would let them through.
    for (const listed of ['1qaz2wsx3edc4rfv', '123456789987654321', 'QAZWSXEDCRFVTGB', 'ｑａｚｗｓｘｅｄｃｒｆｖｔｇｂ']) {
      expect(await register(listed)).toMatchObject({ status: 400, body: { code: 'headlesskey_weak_password', message: COMMON } });
    }
    expect((await register('1qaz2wsx3edc4rfv and then some')).status).toBe(201);
  });

  it('refuses the username, the email and the site name, naming each rule', async () => {
    const user = newUser();
    const padded = { ...user, username: `${user.username}_padded_name` };
    expect((await register(padded.username.toUpperCase(), padded)).body.message).toBe('Password must not be the same as the username.');
    expect((await register(user.email, user)).body.message).toBe('Password must not be the same as the email address.');
    expect((await register(SITE_NAME.toLowerCase())).body.message).toBe("Password must not be the site's name.");
  });

  it('counts code points after NFKC, from 15 up to 1024, with no composition rules', async () => {
    expect((await register('😀'.repeat(14))).body.message).toBe('Password must be at least 15 characters long.');
    expect((await register('😀'.repeat(15))).status).toBe(201);
    expect((await register('all lowercase words here')).status).toBe(201);
    expect((await register('x'.repeat(1025))).body.message).toBe('Password must be at most 1024 characters long.');
    expect((await register('x'.repeat(1024))).status).toBe(201);
  });

  it('holds a reset to the same policy before looking at its key', async () => {
    const answer = await system.post<Refusal>('/reset-password', { login: 'anyone', password: '1qaz2wsx3edc4rfv', token: 'any-key' });
    expect(answer).toMatchObject({ status: 400, body: { code: 'headlesskey_weak_password', message: COMMON } });
  });

  it('follows password_min_length from the live settings, the blocklist still applying below 15', async () => {
    await putSettings(system, { password_min_length: 10 });
    const tenLong = `k${randomBytes(6).toString('hex').slice(0, 9)}`;
    await eventually(async () => ((await register(tenLong)).status === 201 ? true : undefined), 10_000, 'the lower minimum');
    // A list entry the default minimum would already have refused for its length is now refused as common.
    expect(await register('qwertyuiop')).toMatchObject({ status: 400, body: { message: COMMON } });
    expect((await register('abc123xyz')).body.message).toBe('Password must be at least 10 characters long.');
    await putSettings(system, { password_min_length: 15 });
    await eventually(async () => ((await register(`${tenLong}ab`)).status === 400 ? true : undefined), 10_000, 'the default minimum');
  });

  it('keeps one canonical username and email: look-alikes neither register again nor fail to log in', async () => {
    const name = `ｃａｎｏｎ_${randomBytes(3).toString('hex')}`;
    const email = `Canon.${randomBytes(3).toString('hex')}@Example.COM`;
    const created = await system.post<{ user: { user_login: string; user_email: string } }>('/register', {
      username: ` ${name} `,
      email,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    const login = name.normalize('NFKC');
    expect(created.body.user).toMatchObject({ user_login: login, user_email: email.toLowerCase() });
    expect((await system.post('/register', { username: login.toUpperCase(), email: `x${email}`, password: PASSWORD })).status).toBe(409);
    expect((await system.post('/register', { username: `${login}x`, email: email.toUpperCase(), password: PASSWORD })).status).toBe(409);
    for (const typed of [login.toUpperCase(), `  ${name}`, email.toUpperCase()]) {
      expect((await system.post('/token', { username: typed, password: PASSWORD })).status).toBe(200);
    }
  });
});

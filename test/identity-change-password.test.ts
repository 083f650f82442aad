import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW_PASSWORD, validate } from './support/passwords.js';
import { serviceDb } from './support/settings.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { PASSWORD, registerAndLogin } from './support/users.js';

/** `/change-password`: the current password is required, checked like a login, and every session ends. */
describe('change password', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(() => system?.stop());

  const change = (token: string, current_password: string, new_password = NEW_PASSWORD) =>
    system.post<{ code?: string; message: string }>(
      '/change-password',
      { current_password, new_password },
      { authorization: `Bearer ${token}` },
    );

  it('changes it, and every old token is dead the moment the answer arrives', async () => {
    const user = await registerAndLogin(system);
    const other = await system.post<{ token: string }>('/token', { username: user.email, password: PASSWORD }, { 'x-device-id': 'tablet' });
    expect(await change(user.token, PASSWORD)).toMatchObject({
      status: 200,
      body: { message: 'Password changed successfully. Please login again.' },
    });
    for (const token of [user.token, other.body.token]) {
      expect(await validate(system, token)).toMatchObject({ status: 401, body: { code: 'headlesskey_token_revoked' } });
    }
    expect((await system.get('/me', { authorization: `Bearer ${user.token}` })).status).toBe(401);
    expect((await system.post('/token', { username: user.username, password: PASSWORD })).status).toBe(403);
    expect((await system.post('/token', { username: user.username, password: NEW_PASSWORD })).status).toBe(200);

    const db = await serviceDb(system, 'identity');
    try {
      const { rows } = await db.query('select type, data from events where stream_id = $1', [`credential-${user.id}`]);
      expect(rows).toEqual([{ type: 'password.changed', data: { user_id: user.id } }]);
    } finally {
      await db.end();
    }
  });

  it('refuses a wrong current password and keeps every session', async () => {
    const user = await registerAndLogin(system);
    expect(await change(user.token, 'not my current password')).toMatchObject({
      status: 403,
      body: { code: 'headlesskey_incorrect_password', data: { status: 403 } },
    });
    expect(await validate(system, user.token)).toMatchObject({ status: 200 });
    expect((await system.post('/token', { username: user.username, password: PASSWORD })).status).toBe(200);
  });

  it('counts wrong current passwords toward the lockout of the account', async () => {
    const user = await registerAndLogin(system);
    for (let i = 0; i < 5; i++) expect((await change(user.token, `wrong current password ${i}`)).status).toBe(403);
    const locked = await change(user.token, PASSWORD);
    expect(locked).toMatchObject({ status: 429, body: { code: 'headlesskey_account_locked' } });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await system.post('/token', { username: user.username, password: PASSWORD })).status).toBe(429);
  });

  it('holds the new password to the policy, naming the rule, and keeps the old one', async () => {
    const user = await registerAndLogin(system);
    const refusals = await Promise.all([
      change(user.token, PASSWORD, 'too short'),
      change(user.token, PASSWORD, '1qaz2wsx3edc4rfv'),
      change(user.token, PASSWORD, user.email.toUpperCase()),
    ]);
    expect(refusals.map((r) => [r.status, r.body.code])).toEqual(Array(3).fill([400, 'headlesskey_weak_password']));
    expect(refusals.map((r) => r.body.message)).toEqual([
      'Password must be at least 15 characters long.',
      'Password is too common: it appears in lists of commonly used or breached passwords.',
      'Password must not be the same as the email address.',
    ]);
    expect(await validate(system, user.token)).toMatchObject({ status: 200 });
  });

  it('asks for a Bearer token, and takes the user from it only', async () => {
    const anonymous = await system.post('/change-password', { current_password: PASSWORD, new_password: NEW_PASSWORD });
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'headlesskey_unauthorized' } });
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    const victim = await registerAndLogin(system);
    const attacker = await registerAndLogin(system);
    const smuggled = await system.post(
      '/change-password',
      { current_password: PASSWORD, new_password: NEW_PASSWORD, user_id: victim.id },
      { authorization: `Bearer ${attacker.token}` },
    );
    expect(smuggled.status).toBe(200);
    expect((await system.post('/token', { username: victim.username, password: PASSWORD })).status).toBe(200);
    expect((await system.post('/token', { username: attacker.username, password: NEW_PASSWORD })).status).toBe(200);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import {
  ADMIN,
  bearer,
  claimsOf,
  del,
  type ErrorReply,
  freshDevice,
  type Issued,
  loggedIn,
  login,
  register,
  type SessionView,
  sessions,
  TOKENS_ENV,
  validate,
} from './support/tokens.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$/;

/** Each route of the token lifecycle answers its contract shape; tokens come from body or header only. */
const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe('token lifecycle endpoints', () => {
  let system: TestSystem;
  let adminToken: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: TOKENS_ENV });
    adminToken = (await loggedIn(login(system, ADMIN, freshDevice('admin')))).token;
  });
  afterAll(() => system?.stop());

  it('/login answers the profile body: token, expiration, expires_in, user, and the device secret', async () => {
    const user = await register(system);
    const reply = await system.post<Issued>('/login', { username: user.username, password: user.password, device: freshDevice() });
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(['device_secret', 'expiration', 'expires_in', 'token', 'user']);
    expect(reply.body.expiration).toMatch(/\+00:00$/);
    expect(reply.body.expires_in).toBe(3600);
    expect(reply.body.user).toMatchObject({ ID: user.id, user_login: user.username, roles: ['subscriber'] });
    expect((await validate(system, reply.body.token)).status).toBe(200);
  });

  it('/token answers the token body with refreshable and jti, and the device secret', async () => {
    const user = await register(system);
    const reply = await login(system, user, freshDevice());
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(['device_secret', 'expiration', 'expires_in', 'jti', 'refreshable', 'token', 'user']);
    expect(reply.body.refreshable).toBe(true);
    expect(claimsOf(reply.body.token).jti).toBe(reply.body.jti);
  });

  it('GET /me answers the caller', async () => {
    const user = await register(system);
    const { token } = await loggedIn(login(system, user, freshDevice()));
    const me = await system.get<Issued['user'] & { user_email: string }>('/me', bearer(token));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      ID: user.id,
      user_login: user.username,
      user_email: user.email,
      display_name: expect.any(String),
      roles: ['subscriber'],
    });
  });

  it('takes the token from the body or the Authorization header on validate, refresh and revoke', async () => {
    const user = await register(system);
    const first = await loggedIn(login(system, user, freshDevice()));
    expect((await system.post('/token/validate', {}, bearer(first.token))).status).toBe(200);
    const refreshed = await system.post<Issued>('/token/refresh', {}, bearer(first.token));
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.jti).not.toBe(first.jti);
    const revoked = await system.post<{ message: string }>('/token/revoke', {}, bearer(refreshed.body.token));
    expect(revoked).toMatchObject({ status: 200, body: { message: 'Token revoked successfully.' } });
    expect((await validate(system, refreshed.body.token)).body.code).toBe('headlesskey_token_revoked');
  });

  it('never takes a token from the query string', async () => {
    const user = await register(system);
    const { token } = await loggedIn(login(system, user, freshDevice()));
    const q = `?token=${encodeURIComponent(token)}`;
    for (const path of ['/token/validate', '/token/refresh', '/token/revoke']) {
      const reply = await system.post<ErrorReply>(`${path}${q}`, {});
      expect(reply.status, path).toBe(400);
      expect(reply.body.code, path).toBe('rest_missing_callback_param');
    }
    for (const path of [`/me${q}`, `/sessions${q}`, `/me?access_token=${encodeURIComponent(token)}`]) {
      const reply = await system.get<ErrorReply>(path);
      expect(reply.status, path).toBe(401);
      expect(reply.body.code, path).toBe('headlesskey_unauthorized');
    }
    // Neither the refresh nor the revoke above touched it.
    expect((await validate(system, token)).status).toBe(200);
  });

  it('answers 401 headlesskey_unauthorized with WWW-Authenticate: Bearer to a protected route without a token', async () => {
    const routes: [string, string][] = [
      ['GET', '/me'],
      ['GET', '/sessions'],
      ['DELETE', '/sessions/00000000-0000-4000-8000-000000000000'],
      ['DELETE', '/users/1/sessions'],
      ['POST', '/keys/rotate'],
    ];
    for (const [method, path] of routes) {
      const reply = await system.request<ErrorReply>(method, `${new URL(system.apiUrl).pathname}${path}`);
      expect(reply.status, path).toBe(401);
      expect(reply.body.code, path).toBe('headlesskey_unauthorized');
      expect(reply.headers['www-authenticate'], path).toBe('Bearer');
    }
  });

  it('GET /sessions lists the caller’s devices with IP, device, created and last seen', async () => {
    const user = await register(system);
    const phone = freshDevice('phone');
    const laptop = freshDevice('laptop');
    await loggedIn(login(system, user, phone, { 'user-agent': 'curl/8.5.0' }));
    const { token } = await loggedIn(login(system, user, laptop, { 'user-agent': FIREFOX_ON_WINDOWS }));
    const reply = await sessions(system, token);
    expect(reply.status).toBe(200);
    const list = reply.body.sessions;
    expect(list.map((s) => s.device).sort()).toEqual([laptop, phone].sort());
    // Browser and OS as the login's User-Agent names them; an agent that names none, none.
    const byDevice = Object.fromEntries(list.map((s) => [s.device, [s.browser, s.os, s.device_type]]));
    expect(byDevice).toEqual({ [laptop]: ['Firefox 128', 'Windows 10', 'desktop'], [phone]: [null, null, 'unknown'] });
    for (const s of list) {
      expect(s.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
      expect(s.created).toMatch(ISO_UTC);
      expect(s.last_seen).toMatch(ISO_UTC);
      expect(Date.parse(s.last_seen)).toBeGreaterThanOrEqual(Date.parse(s.created));
    }
    expect(list.find((s) => s.current)?.id).toBe(claimsOf(token).sid);
    expect(list.filter((s) => s.current)).toHaveLength(1);
  });

  it('DELETE /sessions/{id} ends one of the caller’s sessions, and only the caller’s', async () => {
    const user = await register(system);
    const phone = await loggedIn(login(system, user, freshDevice('phone')));
    const laptop = await loggedIn(login(system, user, freshDevice('laptop')));
    const other = await register(system);
    const stranger = await loggedIn(login(system, other, freshDevice()));

    const foreign = await del(system, `/sessions/${claimsOf(phone.token).sid}`, bearer(stranger.token));
    expect(foreign.status).toBe(404);
    expect((await validate(system, phone.token)).status).toBe(200);

    const ended = await del(system, `/sessions/${claimsOf(phone.token).sid}`, bearer(laptop.token));
    expect(ended).toMatchObject({ status: 200, body: { ended: true } });
    expect((await validate(system, phone.token)).body).toMatchObject({ code: 'headlesskey_token_revoked', data: { valid: false } });
    expect((await validate(system, laptop.token)).status).toBe(200);
    const left = (await sessions(system, laptop.token)).body.sessions;
    expect(left.map((s: SessionView) => s.id)).toEqual([claimsOf(laptop.token).sid]);
  });

  it('DELETE /users/{id}/sessions is for administrators: a subscriber gets 403 headlesskey_forbidden', async () => {
    const user = await register(system);
    const { token } = await loggedIn(login(system, user, freshDevice()));
    const reply = await del(system, `/users/${user.id}/sessions`, bearer(token));
    expect(reply.status).toBe(403);
    expect(reply.body.code).toBe('headlesskey_forbidden');
    expect((await validate(system, token)).status).toBe(200);
  });

  it('DELETE /users/{id}/sessions by an administrator ends every session of the user', async () => {
    const user = await register(system);
    const tokens = [
      await loggedIn(login(system, user, freshDevice())),
      await loggedIn(login(system, user, freshDevice())),
      await loggedIn(login(system, user, freshDevice())),
    ];
    const reply = await del(system, `/users/${user.id}/sessions`, bearer(adminToken));
    expect(reply).toMatchObject({ status: 200, body: { ended: 3 } });
    for (const { token } of tokens) {
      expect((await validate(system, token)).body).toMatchObject({ code: 'headlesskey_token_revoked', data: { valid: false } });
    }
    expect((await validate(system, adminToken)).status).toBe(200);
  });
});

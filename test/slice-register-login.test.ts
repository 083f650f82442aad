import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system.js';
import { newUser, PASSWORD } from './support/users.js';

/** The first slice through gateway, NATS, identity, tokens and PostgreSQL: register, log in, validate. */
describe('register, log in, validate', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({
      env: { HEADLESSKEY_ADMIN_LOGIN: 'root_admin', HEADLESSKEY_ADMIN_EMAIL: 'root@example.com', HEADLESSKEY_ADMIN_PASSWORD: PASSWORD },
    });
  });
  afterAll(() => system?.stop());

  it('registers a subscriber and answers the plugin body with a working token', async () => {
    const user = { ...newUser(), name: 'Ada Lovelace' };
    const res = await system.post<Record<string, any>>('/register', user);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user_id: expect.any(Number),
      user: { user_login: user.username, user_email: user.email, display_name: 'Ada Lovelace', roles: ['subscriber'] },
      token_response: { token: expect.any(String), expires_in: 3600, jti: expect.any(String) },
    });
    expect(res.body.user.ID).toBe(res.body.user_id);
    expect(res.body.token_response.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const valid = await system.post<Record<string, any>>('/token/validate', { token: res.body.token_response.token });
    expect(valid.status).toBe(200);
    expect(valid.body.valid).toBe(true);
  });

  it('logs in by login or by email in any case, with the claims of docs/api.md', async () => {
    const user = newUser();
    await system.post('/register', user);
    for (const username of [user.username, user.email.toUpperCase()]) {
      const res = await system.post<Record<string, any>>('/token', { username, password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ expires_in: 3600, refreshable: true, user: { user_login: user.username, roles: ['subscriber'] } });
      const [header, claims] = res.body.token
        .split('.')
        .slice(0, 2)
        .map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', kid: expect.any(String) });
      expect(claims).toMatchObject({
        aud: 'headlesskey',
        sub: String(res.body.user.ID),
        jti: res.body.jti,
        data: { ID: res.body.user.ID },
      });
      expect(claims.exp - claims.iat).toBe(3600);
      expect(claims.nbf).toBe(claims.iat);
      const valid = await system.post<Record<string, any>>('/token/validate', {}, { authorization: `Bearer ${res.body.token}` });
      expect(valid.body).toMatchObject({ valid: true, data: { jti: res.body.jti, sid: claims.sid } });
    }
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const user = newUser();
    await system.post('/register', user);
    const wrong = await system.post('/token', { username: user.username, password: 'not the password at all' });
    const unknown = await system.post('/token', { username: 'nobody_by_that_name', password: 'not the password at all' });
    const expected = { code: 'headlesskey_invalid_credentials', message: 'Invalid username or password.', data: { status: 403 } };
    expect(wrong).toMatchObject({ status: 403, body: expected });
    expect(unknown).toMatchObject({ status: 403, body: expected });
  });

  it('checks the whole password, never only its first 72 bytes', async () => {
    const long = `${'ö'.repeat(40)} and then the part that matters`;
    const user = { ...newUser(), password: long };
    expect((await system.post('/register', user)).status).toBe(201);
    expect((await system.post('/token', { username: user.username, password: long })).status).toBe(200);
    expect((await system.post('/token', { username: user.username, password: `${'ö'.repeat(40)} and then another ending` })).status).toBe(
      403,
    );
  });

  it('lets exactly one of many parallel registrations of one name or one email win', async () => {
    const base = newUser('race');
    const sameName = await Promise.all(
      Array.from({ length: 12 }, (_, i) => system.post('/register', { ...base, email: `n${i}_${base.email}` })),
    );
    expect(sameName.filter((r) => r.status === 201)).toHaveLength(1);
    expect(sameName.filter((r) => r.status === 409).every((r) => (r.body as { code: string }).code === 'headlesskey_user_exists')).toBe(
      true,
    );
    expect(sameName.every((r) => r.status === 201 || r.status === 409)).toBe(true);

    const email = newUser('mail').email;
    const sameEmail = await Promise.all(
      Array.from({ length: 12 }, (_, i) => system.post('/register', { ...newUser(`e${i}`), email: i % 2 ? email.toUpperCase() : email })),
    );
    expect(sameEmail.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('treats Unicode look-alikes of a name as the same name', async () => {
    const user = newUser('wide');
    await system.post('/register', user);
    const fullWidth = [...user.username].map((c) => (/[a-z]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
    const res = await system.post('/register', { ...newUser(), username: ` ${fullWidth.toUpperCase()} ` });
    expect(res).toMatchObject({ status: 409, body: { code: 'headlesskey_user_exists' } });
  });

  it('refuses a type-confused body before any service sees it, and changes nothing', async () => {
    const user = newUser();
    const res = await system.post('/register', { ...user, username: [user.username] });
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'rest_invalid_param', data: { status: 400, params: { username: expect.any(String) } } },
    });
    expect((await system.post('/register', user)).status).toBe(201);
  });

  it('created the configured administrator at start, once', async () => {
    const res = await system.post<Record<string, any>>('/token', { username: 'root_admin', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user.roles).toEqual(['administrator']);
    await system.restart('identity');
    expect((await system.post('/register', { username: 'root_admin', email: 'other@example.com', password: PASSWORD })).status).toBe(409);
  });

  it('serves the same routes under the legacy namespace and lists them in the index', async () => {
    const user = newUser();
    const res = await system.request<Record<string, any>>('POST', '/wp-json/wpauthapi/v1/register', user);
    expect(res.status).toBe(201);
    const index = await system.request<Record<string, any>>('GET', '/wp-json/headlesskey/v1');
    expect(Object.keys(index.body.routes)).toEqual(
      expect.arrayContaining(['/headlesskey/v1/token', '/headlesskey/v1/token/validate', '/headlesskey/v1/register']),
    );
  });

  it('is ready only while every service answers', async () => {
    expect((await system.request('GET', '/readyz')).status).toBe(200);
    await system.kill('audit', 'SIGTERM');
    const notReady = await system.request<Record<string, any>>('GET', '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.data.failed).toEqual(['audit']);
    await system.restart('audit');
    expect((await system.request('GET', '/readyz')).status).toBe(200);
  });
});

import { DEFAULT_SETTINGS, ROUTE_ACCESS } from '@headlesskey/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, bearer, call } from './support/admin-api.js';
import { changeSettings, patchSettings, readSettings, type WpError, whoAmI } from './support/settings-api.js';
import { type HttpReply, startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser, registerAndLogin } from './support/users.js';

/**
 * Per-route access from the `access` setting, enforced by the gateway before any command: routes
 * can be narrowed, an administrator's route never opened. Each change is awaited for at most one
 * second: the PATCH answers once the settings bucket holds it, and the gateway watches the bucket.
 */
describe('access policy', () => {
  let system: TestSystem;
  let admin: string;
  let subscriber: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    admin = await adminToken(system);
    subscriber = (await registerAndLogin(system)).token;
  });
  afterEach(async () => {
    await changeSettings(system, admin, { access: ROUTE_ACCESS });
  });
  afterAll(() => system?.stop());

  /** Polls until `probe` answers `status`, for at most a second. */
  const answers = <T>(status: number, probe: () => Promise<HttpReply<T>>) =>
    eventually(async () => {
      const reply = await probe();
      return reply.status === status ? reply : undefined;
    }, 1000);

  it('lists every route with its access of today by default', async () => {
    const { body } = await readSettings(system, admin);
    expect(body.access).toEqual(ROUTE_ACCESS);
    expect(body.access).toMatchObject({ 'POST /token': 'public', 'GET /me': 'authenticated', 'GET /logs': ['administrator'] });
  });

  it('/me narrowed to administrators: a subscriber is forbidden, an administrator is not; back again, the subscriber is let in', async () => {
    expect((await whoAmI(system, subscriber)).status).toBe(200);
    await changeSettings(system, admin, { access: { 'GET /me': ['administrator'] } });
    const refused = await answers(403, () => whoAmI(system, subscriber));
    expect(refused.body).toMatchObject({ code: 'headlesskey_forbidden', data: { status: 403 } });
    expect((await whoAmI(system, admin)).status).toBe(200);
    expect((await whoAmI(system)).status).toBe(401);

    await changeSettings(system, admin, { access: { 'GET /me': 'authenticated' } });
    await answers(200, () => whoAmI(system, subscriber));
  });

  it('a public route narrowed to signed-in users: no token is 401 unauthorized, a bad one 401 invalid_token, never anonymous', async () => {
    const forgot = (headers: Record<string, string> = {}) =>
      system.post<WpError>('/forgot-password', { login: 'nobody', delivery: 'link' }, headers);
    expect((await forgot()).status).toBe(200);
    await changeSettings(system, admin, { access: { 'POST /forgot-password': 'authenticated' } });

    const anonymous = await answers(401, () => forgot());
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(anonymous.body.code).toBe('headlesskey_unauthorized');
    const forged = await forgot(bearer(`${subscriber.slice(0, -4)}AAAA`));
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: 'headlesskey_invalid_token', data: { valid: false } });
    expect((await forgot(bearer(subscriber))).status).toBe(200);
  });

  it('registration limited to administrators: anyone else is refused, an administrator registers users', async () => {
    await changeSettings(system, admin, { access: { 'POST /register': ['administrator'] } });
    await answers(401, () => system.post('/register', newUser()));
    expect((await system.post<WpError>('/register', newUser(), bearer(subscriber))).body.code).toBe('headlesskey_forbidden');
    expect((await system.post('/register', newUser('by_admin'), bearer(admin))).status).toBe(201);
  });

  it('an administrator route can be narrowed to its own roles', async () => {
    const reply = await patchSettings(system, admin, { access: { 'GET /logs': ['administrator'], 'PATCH /settings': ['administrator'] } });
    expect(reply.status).toBe(200);
    expect((await call(system, admin, 'GET', '/logs')).status).toBe(200);
  });

  describe('opening a route beyond its default is refused, naming it, and changes nothing', () => {
    it.each([
      ['GET /logs', 'public'],
      ['GET /logs', 'authenticated'],
      ['PATCH /settings', 'authenticated'],
      ['GET /settings', ['subscriber']],
      ['POST /keys/rotate', ['administrator', 'editor']],
      ['DELETE /users/{id}/sessions', 'public'],
      ['GET /me', 'public'],
    ])('%s → %j', async (route, rule) => {
      const reply = await patchSettings(system, admin, { token_ttl: 120, access: { 'GET /sessions': ['administrator'], [route]: rule } });
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('rest_invalid_param');
      expect(reply.body.data.params?.access).toMatch(
        new RegExp(`^access\\[${route.replace(/[{}]/g, '\\$&')}\\] .*never (opened|made public)`),
      );
      const now = (await readSettings(system, admin)).body;
      expect(now.access).toEqual(ROUTE_ACCESS);
      expect(now.token_ttl).toBe(DEFAULT_SETTINGS.token_ttl);
    });

    it('the administrator routes stay closed to a subscriber', async () => {
      expect((await call<WpError>(system, subscriber, 'GET', '/logs')).body.code).toBe('headlesskey_forbidden');
      expect((await readSettings(system, subscriber)).body.code).toBe('headlesskey_forbidden');
      expect((await whoAmI(system)).body.code).toBe('headlesskey_unauthorized');
    });
  });
});

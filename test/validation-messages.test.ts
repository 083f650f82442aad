import { DEFAULT_SETTINGS } from '@headlesskey/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, call, type WpError } from './support/admin-api.js';
import { patchSettings, readSettings } from './support/settings-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { newUser } from './support/users.js';

const DATE_TIME_RULE = 'must be an RFC 3339 date-time, such as 2026-01-31T12:00:00Z (a date alone means its midnight UTC).';

/** Refusals name every bad field, in words a person reads, asking for exactly what is accepted. */
describe('validation messages', () => {
  let system: TestSystem;
  let admin: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    admin = await adminToken(system);
  });
  afterAll(async () => {
    await system?.stop();
  });

  const params = (reply: { status: number; body: unknown }) => {
    expect(reply.status).toBe(400);
    const body = reply.body as WpError;
    expect(body.code).toBe('rest_invalid_param');
    return body.data.params as Record<string, string>;
  };

  it('a refused PATCH /settings names every bad setting, access included, and changes nothing', async () => {
    const opened = params(await patchSettings(system, admin, { token_ttl: 1, access: { 'GET /logs': 'public' } }));
    expect(opened).toEqual({
      token_ttl: 'token_ttl must be between 60 (inclusive) and 2592000 (inclusive).',
      access: 'access[GET /logs] is restricted to administrator: it can be narrowed to a list of those roles, never opened.',
    });
    const unknown = params(await patchSettings(system, admin, { window: 'soon', access: { 'GET /nope': ['editor'] }, device_limit: 5 }));
    expect(unknown).toEqual({ window: 'window is not of type integer.', access: 'access[GET /nope] names no route.' });
    expect((await readSettings(system, admin)).body).toEqual(DEFAULT_SETTINGS);
  });

  it('a refused choice names every choice there is, and each is taken', async () => {
    const refused = params(await patchSettings(system, admin, { algorithm: 'HS512', access: { 'GET /me': ['Root!'] } }));
    expect(refused).toEqual({
      algorithm: 'algorithm must be one of HS256, RS256, ES256.',
      access: 'access[GET /me][0] must be a role: 1 to 32 lower-case letters, digits or _, starting with a letter.',
    });
    const deliveries = '/webhooks/00000000-0000-4000-8000-000000000000/deliveries';
    expect(params(await call(system, admin, 'GET', `${deliveries}?status=failed`))).toEqual({
      status: 'status must be one of pending, delivered, dead.',
    });
    for (const algorithm of ['RS256', 'ES256', 'HS256']) {
      expect((await patchSettings(system, admin, { algorithm })).status, algorithm).toBe(200);
    }
  });

  it('a refused date asks for an RFC 3339 date-time, and every such value is taken', async () => {
    for (const since of ['x', 'yesterday', '2026-1-31', '2026-01-31 12:00']) {
      expect(params(await call(system, admin, 'GET', `/logs?since=${encodeURIComponent(since)}`))).toEqual({
        since: `since ${DATE_TIME_RULE}`,
      });
    }
    // An impossible day has the shape but no date: the audit service says the same.
    expect(params(await call(system, admin, 'GET', '/logs?until=2026-02-30'))).toEqual({ until: `until ${DATE_TIME_RULE}` });
    for (const since of ['2026-01-31T12:00:00Z', '2026-01-31T12:00:00.123+02:00', '2026-01-31T12:00Z', '2026-01-31']) {
      expect((await call(system, admin, 'GET', `/logs?since=${encodeURIComponent(since)}`)).status, since).toBe(200);
    }
  });

  it('a refused pattern is told in words, never as the expression, and its words hold at the bounds', async () => {
    expect(params(await call(system, admin, 'GET', '/logs?ip=localhost'))).toEqual({ ip: 'ip must be an IP address or a CIDR block.' });
    for (const perPage of ['0', '101', 'ten']) {
      expect(params(await call(system, admin, 'GET', `/logs?per_page=${perPage}`))).toEqual({
        per_page: 'per_page must be a whole number from 1 to 100.',
      });
    }
    for (const perPage of ['1', '100']) expect((await call(system, admin, 'GET', `/logs?per_page=${perPage}`)).status).toBe(200);

    const idRule = 'id must be a user id: a whole number from 1 to 2147483647.';
    for (const id of ['2147483648', '0', '01'])
      expect(params(await call(system, admin, 'POST', `/users/${id}/unlock`))).toEqual({ id: idRule });
    expect((await call(system, admin, 'POST', '/users/2147483647/unlock')).status).toBe(404);

    const email = params(await system.post('/register', { ...newUser(), email: 'ada.example.com' }));
    expect(email).toEqual({ email: 'email must be an email address, such as ada@example.com.' });
    const site = params(await call(system, admin, 'POST', '/sso/sites', { site_key: 'Site A', issuer: 'x', verification: 'hs256' }));
    expect(site.site_key).toBe(
      'site_key must be 1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or a digit.',
    );
    const events = params(await call(system, admin, 'POST', '/webhooks', { url: 'https://example.com/hook', events: [] }));
    expect(events).toEqual({ events: 'events must list at least 1 item.' });
  });

  it('no refusal shows a regular expression', async () => {
    const replies = await Promise.all([
      call(system, admin, 'GET', '/logs?event=Login&cursor=%2F%2F&since=now'),
      call(system, admin, 'DELETE', '/sessions/not-a-uuid'),
      call(system, admin, 'GET', '/webhooks/123'),
      system.post('/reset-password', { login: 'ada', password: 'correct horse battery staple', otp: '12345' }),
      system.post('/token', { username: 'ada', password: 'x', device: 'a\u0000' }),
    ]);
    for (const reply of replies) {
      for (const message of Object.values(params(reply))) {
        expect(message).not.toMatch(/\^|\$|\\[dsw]|\[0-9|\{\d/);
        expect(message).not.toMatch(/pattern/);
      }
    }
  });
});

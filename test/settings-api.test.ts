import { DEFAULT_SETTINGS, type SettingChange } from '@headlesskey/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, adminToken, call } from './support/admin-api.js';
import { changeSettings, patchSettings, readSettings, type WpError } from './support/settings-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, openBus } from './support/tokens.js';
import { eventually, newUser, registerAndLogin } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

interface LogEntry {
  event: string;
  user_id: number | null;
  user_login: string | null;
  outcome: string;
  data: { user_id?: number; user_login?: string; changes?: SettingChange[] };
}

/** `GET /settings` and `PATCH /settings`: who may, what a patch does, and what it leaves behind. */
describe('settings API', () => {
  let system: TestSystem;
  let bus: Bus;
  let admin: string;
  let adminId: number;
  let subscriber: string;
  let hooks: Receiver;

  beforeAll(async () => {
    system = await startTestSystem({ env: { ...ADMIN_ENV, HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE: 'true', HEADLESSKEY_WEBHOOK_POLL_MS: '50' } });
    bus = await openBus(system);
    admin = await adminToken(system);
    adminId = (await call<{ ID: number }>(system, admin, 'GET', '/me')).body.ID;
    subscriber = (await registerAndLogin(system)).token;
    hooks = await startReceiver();
    const endpoint = await call(system, admin, 'POST', '/webhooks', { url: hooks.url, events: ['settings.changed'] });
    expect(endpoint.status).toBe(201);
  });
  afterAll(async () => {
    await Promise.allSettled([bus?.close(), hooks?.close()]);
    await system?.stop();
  });

  const settingsEvents = () => bus.events.filter((event) => event.type === 'settings.changed');

  it('an administrator reads the settings in force: the defaults on a new instance', async () => {
    const reply = await readSettings(system, admin);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(DEFAULT_SETTINGS);
  });

  it('a PATCH changes what it names and nothing else; GET shows the same', async () => {
    const patched = await patchSettings(system, admin, { refresh_grace: 30, device_policy: 'evict_oldest' });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ ...DEFAULT_SETTINGS, refresh_grace: 30, device_policy: 'evict_oldest' });
    expect((await readSettings(system, admin)).body).toEqual(patched.body);

    const again = await changeSettings(system, admin, { refresh_grace: 20 });
    expect(again).toEqual({ ...DEFAULT_SETTINGS, refresh_grace: 20, device_policy: 'evict_oldest' });
    expect((await readSettings(system, admin)).body).toEqual(again);
  });

  /** Makes a change and waits for its event: events come in order, so any earlier one is in by then. */
  let markers = 0;
  const markerChange = async () => {
    const window = 1000 + ++markers;
    await changeSettings(system, admin, { window });
    const marker = await bus.waitForEvent('settings.changed', (e) => JSON.stringify(e.data.changes).includes(`"new":${window}`));
    return { window, index: settingsEvents().indexOf(marker) };
  };

  it('an unchanged value is no change: no event', async () => {
    const first = await markerChange();
    const unchanged = { window: first.window, access: { 'GET /me': 'authenticated' as const } };
    expect(await changeSettings(system, admin, unchanged)).toMatchObject({ window: first.window, access: DEFAULT_SETTINGS.access });
    expect((await markerChange()).index).toBe(first.index + 1);
  });

  describe('a bad patch is refused whole and changes nothing', () => {
    let eventsBefore = 0;
    beforeAll(async () => {
      eventsBefore = (await markerChange()).index + 1;
    });

    const refusals: [string, unknown, string][] = [
      ['an unknown setting', { favourite_colour: 'blue' }, 'favourite_colour'],
      ['a value below its minimum', { token_ttl: 5 }, 'token_ttl'],
      ['a value above its maximum', { refresh_grace: 301 }, 'refresh_grace'],
      ['a number as a string', { token_ttl: '120' }, 'token_ttl'],
      ['a boolean as a string', { registration: 'false' }, 'registration'],
      ['an algorithm not on the list', { algorithm: 'none' }, 'algorithm'],
      ['a valid value beside a bad one', { max_attempts: 9, lockout: 1 }, 'lockout'],
      ['an access rule of an unknown role', { access: { 'GET /me': ['root'] } }, 'access'],
      ['an access key that is not a route key', { access: { '/me': 'authenticated' } }, 'access'],
      ['an access key that names no route', { access: { 'GET /nowhere': 'authenticated' } }, 'access'],
      ['an empty role list', { access: { 'GET /me': [] } }, 'access'],
    ];

    it.each(refusals)('%s: 400 rest_invalid_param naming it', async (_why, patch, name) => {
      const before = (await readSettings(system, admin)).body;
      const reply = await patchSettings(system, admin, patch);
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('rest_invalid_param');
      expect(Object.keys(reply.body.data.params ?? {})).toContain(name);
      expect((await readSettings(system, admin)).body).toEqual(before);
    });

    it.each([
      ['a JSON array', '[{"token_ttl": 120}]'],
      ['not JSON', '{token_ttl: 120'],
      ['a poisoned object', '{"access": {"__proto__": {"GET /me": "public"}}}'],
    ])('%s: 400 headlesskey_invalid_json', async (_why, raw) => {
      const before = (await readSettings(system, admin)).body;
      const reply = await patchSettings(system, admin, raw);
      expect(reply.status).toBe(400);
      expect(reply.body.code).toBe('headlesskey_invalid_json');
      expect((await readSettings(system, admin)).body).toEqual(before);
    });

    it('none of them raised an event', async () => {
      expect((await markerChange()).index).toBe(eventsBefore);
    });
  });

  describe('only administrators', () => {
    it.each([
      ['GET', () => readSettings(system)],
      ['PATCH', () => patchSettings(system, undefined, { registration: false })],
    ])('%s without a token: 401 headlesskey_unauthorized', async (_method, send) => {
      const reply = await send();
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Bearer');
      expect(reply.body.code).toBe('headlesskey_unauthorized');
    });

    it('a bad or forged token: 401 headlesskey_invalid_token, never anonymous', async () => {
      const [head, body] = admin.split('.');
      for (const token of ['not-a-token', `${head}.${body}.AAAA`]) {
        const reply = await patchSettings(system, token, { registration: false });
        expect(reply.status).toBe(401);
        expect(reply.body).toMatchObject({ code: 'headlesskey_invalid_token', data: { valid: false } });
      }
      expect((await readSettings(system, admin)).body.registration).toBe(true);
    });

    it('a subscriber: 403 headlesskey_forbidden, and nothing changes', async () => {
      const read = await readSettings(system, subscriber);
      expect(read.status).toBe(403);
      expect(read.body.code).toBe('headlesskey_forbidden');
      const write = await patchSettings(system, subscriber, { registration: false, access: { 'GET /logs': 'authenticated' } });
      expect(write.status).toBe(403);
      expect(write.body.code).toBe('headlesskey_forbidden');
      expect((await readSettings(system, admin)).body).toMatchObject({ registration: true, access: DEFAULT_SETTINGS.access });
    });
  });

  it('settings.changed reaches the activity log and webhooks: the actor, and the old and new values', async () => {
    await changeSettings(system, admin, { token_ttl: 1800, access: { 'GET /sessions': ['administrator', 'editor'] } });
    const expected = [
      { setting: 'token_ttl', old: 3600, new: 1800 },
      { setting: 'access', member: 'GET /sessions', old: 'authenticated', new: ['administrator', 'editor'] },
    ];
    const entry = await eventually(
      async () => {
        const page = await call<{ entries: LogEntry[] }>(system, admin, 'GET', '/logs?event=settings.changed&per_page=100');
        return page.body.entries.find((e) => JSON.stringify(e.data.changes).includes('"new":1800'));
      },
      10_000,
      'settings.changed in the activity log',
    );
    expect(entry).toMatchObject({ event: 'settings.changed', user_id: adminId, user_login: ADMIN.username, outcome: 'info' });
    expect(entry.data).toEqual({ user_id: adminId, user_login: ADMIN.username, changes: expected });

    const delivered = await eventually(
      async () => hooks.received.find((r) => r.body.includes('"new":1800')),
      10_000,
      'settings.changed delivered to the webhook',
    );
    expect(JSON.parse(delivered.body)).toMatchObject({
      type: 'settings.changed',
      data: { user_id: adminId, user_login: ADMIN.username, changes: expected },
    });
  });

  it('registration off: /register answers 403 headlesskey_registration_disabled and creates no one; on again, it works', async () => {
    await changeSettings(system, admin, { registration: false });
    const user = newUser('closed');
    const refused = await eventually(async () => {
      const reply = await system.post<WpError>('/register', user);
      return reply.status === 403 ? reply : undefined;
    }, 1000);
    expect(refused.body).toMatchObject({ code: 'headlesskey_registration_disabled', data: { status: 403 } });
    expect((await system.post('/token', { username: user.username, password: user.password })).status).toBe(403);

    await changeSettings(system, admin, { registration: true });
    const opened = await eventually(async () => {
      const reply = await system.post('/register', user);
      return reply.status === 201 ? reply : undefined;
    }, 1000);
    expect(opened.status).toBe(201);
  });
});

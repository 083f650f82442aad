import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, adminToken, call } from './support/admin-api.js';
import { admin } from './support/admin-cli.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, claimsOf, login, openBus, refresh, validate } from './support/tokens.js';
import { registerAndLogin } from './support/users.js';

/** `npm run admin -- users …` (README, User administration): the API's rules and events, from a terminal. */
describe('npm run admin -- users', () => {
  let system: TestSystem;
  let bus: Bus;
  const users = (...args: string[]) => admin(['users', ...args], { HEADLESSKEY_INSTANCE: system.instance });

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    bus = await openBus(system);
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
  });

  it('lists and shows users', async () => {
    const user = await registerAndLogin(system, {}, 'cli');
    const listed = await users('list', '--search', user.username);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(user.username);
    expect(listed.stdout).not.toContain(ADMIN.username);
    // Registering opened a session, and so did the login.
    const shown = await users('show', String(user.id));
    expect(JSON.parse(shown.stdout)).toMatchObject({ ID: user.id, user_login: user.username, live_sessions: 2 });
  });

  it('changes roles and disables, recorded as the operator, with the effect of the API', async () => {
    const user = await registerAndLogin(system, {}, 'cli');
    expect((await users('set-roles', String(user.id), 'editor')).code).toBe(0);
    const changed = await bus.waitForEvent('user.roles_changed', (e) => e.data.user_id === user.id);
    expect(changed.data.by).toEqual({ cli: process.env.SUDO_USER || userInfo().username });
    expect(changed.meta.actor).toBe(`cli:${process.env.SUDO_USER || userInfo().username}`);
    expect(claimsOf((await refresh(system, user.token)).body.token).data.roles).toEqual(['editor']);

    const session = (await login(system, user)).body.token;
    expect((await users('disable', String(user.id))).stdout).toContain('disabled');
    expect((await validate(system, session)).status).toBe(401);
    expect((await login(system, user)).status).toBe(403);
    expect((await users('enable', String(user.id))).code).toBe(0);
    expect((await login(system, user)).status).toBe(200);

    const deleted = await users('delete', String(user.id));
    expect(deleted.code).toBe(0);
    expect((await bus.waitForEvent('user.deleted', (e) => e.data.user_id === user.id)).data.by).toEqual({
      cli: process.env.SUDO_USER || userInfo().username,
    });
    expect((await login(system, user)).status).toBe(403);
    expect((await users('show', String(user.id))).stderr).toContain('headlesskey_not_found');
  });

  it('keeps the last administrator, and refuses a wrong use with its usage', async () => {
    const adminId = (await call<{ users: { ID: number }[] }>(system, await adminToken(system), 'GET', `/users?search=${ADMIN.username}`))
      .body.users[0]?.ID;
    const refused = await users('disable', String(adminId));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('headlesskey_last_administrator');
    expect((await users('set-roles', '12', 'Not a role')).code).toBe(2);
    expect((await users('set-roles', String(adminId), 'root')).stderr).toContain('rest_invalid_param');
    expect((await users('disable', 'x')).stderr).toContain('usage: npm run admin -- users');
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, adminToken, call, type WpError } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, claimsOf, type Issued, openBus, refresh, validate } from './support/tokens.js';
import { eventually, newUser, PASSWORD } from './support/users.js';

interface ManagedUser {
  ID: number;
  user_login: string;
  user_email: string;
  display_name: string;
  roles: string[];
  status: 'active' | 'disabled';
  registered: string;
  last_login: string | null;
  live_sessions: number;
  locked_until?: string | null;
}
type Page = { users: ManagedUser[]; next_cursor: string | null };

/**
 * User administration (docs/api.md, Users): the list, one user, a new account, and a change of
 * profile, roles or status — each taking effect before its answer, through the gateway, identity
 * and tokens.
 */
describe('user administration', () => {
  let system: TestSystem;
  let bus: Bus;
  let admin: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    bus = await openBus(system);
    admin = await adminToken(system);
  });
  afterAll(async () => {
    await bus?.close();
    await system?.stop();
  });

  const create = async (roles: string[], prefix = 'adm') => {
    const user = newUser(prefix);
    const reply = await call<ManagedUser & WpError>(system, admin, 'POST', '/users', { ...user, roles });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return { ...user, id: reply.body.ID };
  };
  const logIn = async (user: { username: string; password: string }) => {
    const reply = await system.post<Issued & WpError>('/token', { username: user.username, password: user.password });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body.token;
  };
  const patch = (token: string, id: number, body: unknown) => call<ManagedUser & WpError>(system, token, 'PATCH', `/users/${id}`, body);

  it('is for administrators only', async () => {
    const user = await create(['editor']);
    const token = await logIn(user);
    expect((await call<WpError>(system, token, 'GET', '/users')).body.code).toBe('headlesskey_forbidden');
    expect((await patch(token, user.id, { roles: ['administrator'] })).body.code).toBe('headlesskey_forbidden');
    expect((await call<WpError>(system, undefined, 'GET', '/users')).body.code).toBe('headlesskey_unauthorized');
  });

  it('creates a user with roles, shows it with its activity, and records who created it', async () => {
    const user = await create(['editor', 'author']);
    const before = await call<ManagedUser>(system, admin, 'GET', `/users/${user.id}`);
    expect(before.body).toMatchObject({
      ID: user.id,
      user_login: user.username,
      user_email: user.email,
      roles: ['editor', 'author'],
      status: 'active',
      last_login: null,
      live_sessions: 0,
      locked_until: null,
    });
    await logIn(user);
    const after = await call<ManagedUser>(system, admin, 'GET', `/users/${user.id}`);
    expect(after.body.live_sessions).toBe(1);
    expect(Date.parse(after.body.last_login ?? '')).toBeGreaterThanOrEqual(Date.parse(after.body.registered));
    const registered = await bus.waitForEvent('user.registered', (e) => e.data.user_id === user.id);
    expect(registered.data.by).toMatchObject({ user_login: ADMIN.username });
    // The user's own login, as a registration's would be; the password never leaves identity.
    expect(JSON.stringify(registered)).not.toContain(PASSWORD);
  });

  it('searches by a prefix of login, email or display name in any case, filters, and pages newest first', async () => {
    const tag = `pg${randomBytes(3).toString('hex')}`;
    const ids: number[] = [];
    for (const roles of [['author'], ['editor'], ['author']]) ids.push((await create(roles, tag)).id);
    const byLogin = await call<Page>(system, admin, 'GET', `/users?search=${tag.toUpperCase()}`);
    expect(byLogin.body.users.map((u) => u.ID)).toEqual([...ids].reverse());
    const first = await call<Page>(system, admin, 'GET', `/users?search=${tag}&per_page=2`);
    expect(first.body.users.map((u) => u.ID)).toEqual([ids[2], ids[1]]);
    const second = await call<Page>(system, admin, 'GET', `/users?search=${tag}&per_page=2&cursor=${first.body.next_cursor}`);
    expect(second.body).toEqual({ users: [expect.objectContaining({ ID: ids[0] })], next_cursor: null });
    const authors = await call<Page>(system, admin, 'GET', `/users?search=${tag}&role=author`);
    expect(authors.body.users.map((u) => u.ID)).toEqual([ids[2], ids[0]]);
    await patch(admin, ids[1] as number, { name: `Zed ${tag}` });
    const byName = await call<Page>(system, admin, 'GET', `/users?search=zed%20${tag}`);
    expect(byName.body.users.map((u) => u.ID)).toEqual([ids[1]]);
    // LIKE's own characters are taken as they are.
    expect((await call<Page>(system, admin, 'GET', `/users?search=${tag.slice(0, 3)}%25`)).body.users).toEqual([]);
    const bad = await call<WpError>(system, admin, 'GET', '/users?cursor=bm90LW91cnM');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('rest_invalid_param');
  });

  it("a demoted administrator's token loses the role on its very next request; a promoted user's next refresh carries it", async () => {
    const other = await create(['administrator']);
    const token = await logIn(other);
    expect((await call(system, token, 'GET', '/users')).status).toBe(200);
    expect((await patch(admin, other.id, { roles: ['subscriber'] })).status).toBe(200);
    const refused = await call<WpError>(system, token, 'GET', '/users');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('headlesskey_forbidden');
    // The token is still the user's: it validates, and refreshing it signs the roles held now.
    expect((await validate(system, token)).status).toBe(200);
    const refreshed = await refresh(system, token);
    expect(claimsOf(refreshed.body.token).data.roles).toEqual(['subscriber']);

    const promoted = await create(['subscriber']);
    const before = await logIn(promoted);
    expect((await patch(admin, promoted.id, { roles: ['editor', 'subscriber'] })).status).toBe(200);
    expect(claimsOf(before).data.roles).toEqual(['subscriber']);
    expect(claimsOf((await refresh(system, before)).body.token).data.roles).toEqual(['editor', 'subscriber']);
    const changed = await bus.waitForEvent('user.roles_changed', (e) => e.data.user_id === promoted.id);
    expect(changed.data).toMatchObject({
      roles: ['editor', 'subscriber'],
      previous_roles: ['subscriber'],
      by: { user_login: ADMIN.username },
    });
    const logged = await eventually(async () => {
      const page = await call<{ entries: { event: string; data: Record<string, unknown> }[] }>(
        system,
        admin,
        'GET',
        `/logs?user=${promoted.id}&event=user.roles_changed`,
      );
      return page.body.entries[0];
    });
    expect(logged.data).toMatchObject({ roles: ['editor', 'subscriber'], by: { user_login: ADMIN.username } });
  });

  it('a disabled user cannot log in (told no more than a wrong password tells), refresh, or use a token; enabled, they can log in', async () => {
    const user = await create(['subscriber']);
    const tokens = [await logIn(user), await logIn(user)];
    const disabled = await patch(admin, user.id, { status: 'disabled' });
    expect(disabled.body).toMatchObject({ status: 'disabled', live_sessions: 0 });
    for (const token of tokens) {
      expect((await validate(system, token)).body).toMatchObject({ code: 'headlesskey_token_revoked' });
      expect((await refresh(system, token)).status).toBe(401);
    }
    const right = await system.post<WpError>('/token', { username: user.username, password: user.password });
    const wrong = await system.post<WpError>('/token', { username: user.username, password: 'wrong horse battery staple' });
    expect(right.status).toBe(403);
    expect(right.body).toEqual(wrong.body);
    const revoked = bus.events.filter((e) => e.type === 'token.revoked' && e.data.user_id === user.id);
    expect(revoked.map((e) => e.data.reason)).toEqual(['disabled', 'disabled']);
    expect((await bus.waitForEvent('user.disabled', (e) => e.data.user_id === user.id)).data.by).toMatchObject({
      user_login: ADMIN.username,
    });
    // A wrong password counted too: lift the lockout the two failures may have started before logging in again.
    await call(system, admin, 'POST', `/users/${user.id}/unlock`);
    expect((await patch(admin, user.id, { status: 'active' })).body.status).toBe('active');
    await logIn(user);
    const listed = await call<Page>(system, admin, 'GET', `/users?search=${user.username}&status=active`);
    expect(listed.body.users.map((u) => u.ID)).toEqual([user.id]);
  });

  it('changes an email only to a free one, and frees the old one', async () => {
    const user = await create(['subscriber']);
    const taken = await create(['subscriber']);
    const clash = await patch(admin, user.id, { email: taken.email });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('headlesskey_user_exists');
    const fresh = `${user.username}_new@example.com`;
    expect((await patch(admin, user.id, { email: fresh, name: 'Renamed' })).body).toMatchObject({
      user_email: fresh,
      display_name: 'Renamed',
    });
    await logIn({ username: fresh, password: user.password });
    const reuse = await system.post('/register', { username: `${user.username}_b`, email: user.email, password: PASSWORD });
    expect(reuse.status).toBe(201);
  });

  it('refuses unknown roles, a missing user, and an account with neither a password nor a password mail', async () => {
    const user = await create(['subscriber']);
    const badRole = await patch(admin, user.id, { roles: ['root'] });
    expect(badRole.status).toBe(400);
    expect(badRole.body.code).toBe('rest_invalid_param');
    expect((await patch(admin, 2_000_000_000, { name: 'x' })).status).toBe(404);
    const blank = await patch(admin, user.id, { name: '\u202e\u0007 ' });
    expect(blank.status).toBe(400);
    expect(blank.body.data.params).toHaveProperty('name');
    const noPassword = await call<WpError>(system, admin, 'POST', '/users', {
      username: `np_${randomBytes(3).toString('hex')}`,
      email: 'np@example.com',
    });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.data.params).toHaveProperty('password');
    const mailed = await call<ManagedUser>(system, admin, 'POST', '/users', {
      username: `pm_${randomBytes(3).toString('hex')}`,
      email: `pm_${randomBytes(3).toString('hex')}@example.com`,
      send_password_mail: true,
    });
    expect(mailed.status).toBe(201);
  });

  it('gives the roles an operator defines in custom_roles, and a route can be narrowed to one', async () => {
    const builtIn = await call<WpError>(system, admin, 'PATCH', '/settings', { custom_roles: ['administrator'] });
    expect(builtIn.status).toBe(400);
    expect(builtIn.body.data.params).toHaveProperty('custom_roles');
    const user = await create(['subscriber']);
    const token = await logIn(user);
    expect((await patch(admin, user.id, { roles: ['shop_manager'] })).body.code).toBe('rest_invalid_param');
    expect((await call(system, admin, 'PATCH', '/settings', { custom_roles: ['shop_manager'] })).status).toBe(200);
    expect((await patch(admin, user.id, { roles: ['shop_manager', 'subscriber'] })).status).toBe(200);
    const fresh = (await refresh(system, token)).body.token;
    expect(claimsOf(fresh).data.roles).toEqual(['shop_manager', 'subscriber']);
    try {
      expect((await call(system, admin, 'PATCH', '/settings', { access: { 'GET /me': ['shop_manager'] } })).status).toBe(200);
      // Every gateway applies the setting within a moment.
      await eventually(async () => ((await call(system, admin, 'GET', '/me')).status === 403 ? true : undefined));
      expect((await call(system, fresh, 'GET', '/me')).status).toBe(200);
    } finally {
      await call(system, admin, 'PATCH', '/settings', { access: { 'GET /me': 'authenticated' } });
    }
  });

  it('never leaves no active administrator, even when two demote each other at once', async () => {
    const active = await call<Page>(system, admin, 'GET', '/users?role=administrator&status=active&per_page=100');
    const me = active.body.users.find((u) => u.user_login === ADMIN.username) as ManagedUser;
    for (const other of active.body.users.filter((u) => u.ID !== me.ID)) {
      expect((await patch(admin, other.ID, { status: 'disabled' })).status).toBe(200);
    }
    expect((await patch(admin, me.ID, { roles: ['subscriber'] })).body.code).toBe('headlesskey_last_administrator');
    expect((await patch(admin, me.ID, { status: 'disabled' })).body.code).toBe('headlesskey_last_administrator');

    const second = await create(['administrator']);
    const secondToken = await logIn(second);
    const [mine, theirs] = await Promise.all([
      patch(admin, second.id, { roles: ['subscriber'] }),
      patch(secondToken, me.ID, { roles: ['subscriber'] }),
    ]);
    expect([mine.status, theirs.status].filter((s) => s === 200)).toHaveLength(1);
    const left = await call<Page>(system, mine.status === 200 ? admin : secondToken, 'GET', '/users?role=administrator&status=active');
    expect(left.body.users).toHaveLength(1);
    // Whoever is left makes the configured administrator one again, for whatever runs after.
    if (theirs.status === 200) expect((await patch(secondToken, me.ID, { roles: ['administrator'] })).status).toBe(200);
  });
});

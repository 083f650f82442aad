import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, adminToken, call, serviceDb } from './support/admin-api.js';
import { admin } from './support/admin-cli.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { type Bus, claimsOf, login, openBus } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';
import { createWordPressDb, type WordPressDb } from './support/wordpress/database.js';
import { type SiteUser, testSite } from './support/wordpress/site.js';

const FILLERS = 1200;
/** The site as a first run finds it; the users from this ID on are added before the rerun (an interrupted run's rest). */
const LATER = 900;
const LONG = 240_000;

interface Summary {
  imported: number;
  unchanged: number;
  refused: number;
  reasons: Record<string, number>;
}

/** The counts `import wordpress` printed. */
function summaryOf(stdout: string): Summary {
  const count = (label: string) => Number(new RegExp(`^ {2}(?:would be )?${label} +(\\d+)$`, 'm').exec(stdout)?.[1] ?? Number.NaN);
  const reasons = Object.fromEntries([...stdout.matchAll(/^ {4}([a-z_]+) +(\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
  return { imported: count('imported'), unchanged: count('unchanged'), refused: count('refused'), reasons };
}

/** What the summary should say of these users. */
function expectedOf(users: readonly SiteUser[]): Summary {
  const reasons: Record<string, number> = {};
  for (const u of users) if (u.expected !== 'imported') reasons[u.expected] = (reasons[u.expected] ?? 0) + 1;
  const imported = users.filter((u) => u.expected === 'imported').length;
  return { imported, unchanged: 0, refused: users.length - imported, reasons };
}

/**
 * `npm run admin -- import wordpress` (README, Moving from the WordPress plugin) against a
 * WordPress database on the machine's MariaDB, with hashes PHP made with WordPress's own code:
 * each user comes over under their WordPress ID, logs in with their WordPress password, and has
 * their hash upgraded on that first login.
 */
describe('importing a WordPress site', () => {
  let system: TestSystem;
  let bus: Bus;
  let wp: WordPressDb;
  let identityDb: pg.Client;
  let users: SiteUser[];
  const firstPart = () => users.filter((u) => u.row.id < LATER);
  const run = (...flags: string[]) => admin(['import', 'wordpress', '--from', wp.url, ...flags], { HEADLESSKEY_INSTANCE: system.instance });
  const user = (login: string) => users.find((u) => u.row.login === login) as SiteUser;
  const storedHash = async (id: number) =>
    (await identityDb.query<{ password_hash: string }>('select password_hash from credentials where user_id = $1', [id])).rows[0]
      ?.password_hash;

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    bus = await openBus(system);
    identityDb = await serviceDb(system, 'identity');
    const token = await adminToken(system);
    const listed = await call<{ users: { ID: number }[] }>(system, token, 'GET', `/users?search=${ADMIN.username}`);
    const adminId = listed.body.users[0]?.ID ?? 0;
    expect(adminId).toBeGreaterThan(0);
    wp = await createWordPressDb(['shop_manager']);
    // A row a plugin wrote past WordPress's own 60-character logins.
    await wp.db.query('ALTER TABLE wp_users MODIFY user_login varchar(100) NOT NULL');
    users = await testSite(adminId, FILLERS);
    await wp.insert(firstPart().map((u) => u.row));
  });
  afterAll(async () => {
    await identityDb?.end();
    await bus?.close();
    await wp?.drop();
    await system?.stop();
  });

  it('in a dry run, reports what it would do and changes nothing', { timeout: LONG }, async () => {
    const dry = await run('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run, nothing changed');
    const { imported, refused } = expectedOf(firstPart());
    // A dry run checks each batch against the store and itself: the duplicates here are in one batch.
    expect(summaryOf(dry.stdout)).toMatchObject({ imported, refused });
    expect((await login(system, { username: 'site_owner', password: user('site_owner').password })).status).toBe(403);
    expect(bus.events.filter((e) => e.type === 'user.imported')).toHaveLength(0);
  });

  it('imports every user it can, refuses the rest with their reasons, and lists them', { timeout: LONG }, async () => {
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    expect(summaryOf(first.stdout)).toEqual(expectedOf(firstPart()));
    for (const refused of firstPart().filter((u) => u.expected !== 'imported')) {
      expect(first.stdout).toMatch(new RegExp(`^ +${refused.row.id} +.* ${refused.expected}$`, 'm'));
    }
    const event = await bus.waitForEvent('user.imported', (e) => e.data.user_id === 2);
    expect(event.data).toMatchObject({ user_login: 'site_owner', roles: ['administrator'], registered_at: '2016-05-04T03:02:01.000Z' });
    expect(JSON.stringify(bus.events.filter((e) => e.type === 'user.imported'))).not.toMatch(/\$P\$|\$2[aby]\$|wp:/);
  });

  it('lets each imported user log in with their WordPress password, under their WordPress ID, and upgrades the hash', {
    timeout: LONG,
  }, async () => {
    const hashed = users.filter((u) => u.expected === 'imported' && (u.row.id < 100 || u.row.id === 100));
    expect(new Set(hashed.map((u) => u.scheme))).toEqual(
      new Set(['phpass', 'wp-bcrypt', 'bcrypt-2y', 'bcrypt-2a', 'bcrypt-2b', 'md5', 'slashed']),
    );
    for (const u of hashed) {
      const credentials = { username: u.row.login, password: u.password };
      expect((await storedHash(u.row.id))?.startsWith('wp:'), u.row.login).toBe(true);
      expect((await login(system, { ...credentials, password: `x${u.password}` })).status, u.row.login).toBe(403);
      const first = await login(system, credentials);
      expect(first.status, `${u.scheme} ${u.row.login}: ${JSON.stringify(first.body)}`).toBe(200);
      expect(claimsOf(first.body.token)).toMatchObject({ sub: String(u.row.id), data: { ID: u.row.id } });
      const rehashed = await bus.waitForEvent('password.rehashed', (e) => e.data.user_id === u.row.id);
      expect(rehashed.data).toEqual({
        user_id: u.row.id,
        from: u.scheme.startsWith('bcrypt') ? 'bcrypt' : u.scheme === 'slashed' ? 'phpass' : u.scheme,
      });
      expect((await storedHash(u.row.id))?.startsWith('wp:'), u.row.login).toBe(false);
      expect((await login(system, credentials)).status, `${u.row.login}, second login`).toBe(200);
    }
    expect(bus.events.filter((e) => e.type === 'password.rehashed')).toHaveLength(hashed.length);
  });

  it('keeps the roles: a WordPress administrator administers, a custom role comes along, no role stays none', {
    timeout: LONG,
  }, async () => {
    const owner = await login(system, { username: 'site_owner', password: user('site_owner').password });
    expect(claimsOf(owner.body.token).data.roles).toEqual(['administrator']);
    const listed = await call<{ users: { ID: number; roles: string[] }[] }>(system, owner.body.token, 'GET', '/users?search=shopper');
    expect(listed.status).toBe(200);
    expect(listed.body.users).toEqual([expect.objectContaining({ ID: 10, roles: ['shop_manager'] })]);
    const editor = await login(system, { username: 'ed_phpass', password: user('ed_phpass').password });
    expect((await call(system, editor.body.token, 'GET', '/users')).status).toBe(403);
    const noRole = await login(system, { username: 'no_role', password: user('no_role').password });
    expect(claimsOf(noRole.body.token).data.roles).toEqual([]);
  });

  it('a rerun leaves what came over unchanged and brings the rest; one more changes nothing', { timeout: LONG }, async () => {
    const rest = users.filter((u) => u.row.id >= LATER);
    await wp.insert(rest.map((u) => u.row));
    const before = bus.events.length;
    const again = await run();
    expect(again.code, again.stderr).toBe(0);
    const expected = expectedOf(users);
    const done = expectedOf(firstPart()).imported;
    expect(summaryOf(again.stdout)).toEqual({ ...expected, imported: expected.imported - done, unchanged: done });
    const brought = rest.filter((u) => u.expected === 'imported').map((u) => u.row.id);
    const imported = await eventually(async () => {
      const seen = bus.events.slice(before).filter((e) => e.type === 'user.imported');
      return seen.length >= brought.length ? seen : undefined;
    });
    expect(imported.map((e) => e.data.user_id).sort()).toEqual(brought.sort());
    const last = await run();
    expect(summaryOf(last.stdout)).toEqual({ ...expected, imported: 0, unchanged: expected.imported });
  });

  it('a registration after the import gets an ID above every imported one', { timeout: LONG }, async () => {
    const registered = await system.post<{ user_id: number }>('/register', newUser('after_import'));
    expect(registered.status).toBe(201);
    expect(registered.body.user_id).toBeGreaterThan(Math.max(...users.map((u) => u.row.id)));
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, adminToken, bearer, call, type WpError } from './support/admin-api.js';
import { type Browser, openBrowser, accessibilityProblems as scan, shoot, signIn, watchForInjection } from './support/console.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser } from './support/users.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
type Entry = { event: string; data: { session_id?: string } };

/** The Users screens in real Chromium against the whole system: search, a user's page, and what an operator does there. */
describe('console: users', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  let admin: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    browser = await openBrowser();
    admin = await adminToken(system);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  /** A user made by the administrator, with a display name. */
  const create = async (prefix: string, name = `Name of ${prefix}`) => {
    const user = newUser(prefix);
    const reply = await call<{ ID: number } & WpError>(system, admin, 'POST', '/users', { ...user, name });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return { ...user, name, id: reply.body.ID };
  };
  const logIn = (user: { username: string; password: string }, headers: Record<string, string> = {}, device?: string) =>
    system.post<{ token: string } & WpError>('/token', { username: user.username, password: user.password, device }, headers);
  const validate = async (token: string) => (await system.post<WpError>('/token/validate', undefined, bearer(token))).body.code ?? 'valid';
  /** Waits until the activity log holds what `found` looks for: the log is projected from events. */
  const logged = (id: number, event: string, found: (entries: Entry[]) => boolean) =>
    eventually(
      async () => {
        const log = await call<{ entries: Entry[] }>(system, admin, 'GET', `/logs?user=${id}&event=${event}&per_page=100`);
        return found(log.body.entries) ? true : undefined;
      },
      40_000,
      `${event} of user ${id} in the log`,
    );
  const open = async (path: string) => {
    page = (await signIn(browser, system, ADMIN, path)).page;
  };
  const openUser = async (user: { id: number; name: string }) => {
    await open(`/users/${user.id}`);
    await page.getByRole('heading', { level: 1, name: user.name }).waitFor();
  };
  const news = () => page.getByRole('status').filter({ hasNotText: /^$/ }).first().textContent();
  const focusAndPress = async (name: string, key = 'Enter') => {
    await page.getByRole('button', { name, exact: true }).first().focus();
    await page.keyboard.press(key);
  };

  it('searches by the start of a login and opens the user, by keyboard', async () => {
    const user = await create('findme');
    await create('other');
    await open('/users');
    const table = page.getByRole('table', { name: 'Users, newest first' });
    await table.getByRole('link', { name: user.username }).waitFor();
    expect(await scan(page)).toEqual([]);
    await shoot(page, 'users');

    await page.getByLabel('Search by login, email or name').focus();
    await page.keyboard.type('FINDME_');
    await page.keyboard.press('Enter');
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    expect(await table.getByRole('row').nth(1).textContent()).toBe(`${user.username}${user.email}${user.name}subscriberactive`);

    await table.getByRole('link', { name: user.username }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: user.name }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/users/${user.id}`);
    const profile = await page.locator('dl.profile').textContent();
    expect(profile).toContain(`Login${user.username}`);
    expect(profile).toContain(`Email${user.email} (not verified)`);
    await page.close();
  });

  it("pages through the users with the API's cursor, forward and back", async () => {
    // One more than a page of the console (25).
    for (let i = 0; i < 26; i += 13) await Promise.all(Array.from({ length: 13 }, () => create('pager')));
    await open('/users');
    await page.getByLabel('Search by login, email or name').fill('pager_');
    await page.getByRole('button', { name: 'Search' }).click();
    const status = page.getByRole('status');
    await expect.poll(() => status.textContent()).toBe('Users 1–25 matching “pager_”.');
    const table = page.getByRole('table', { name: 'Users, newest first' });
    const firstPage = await table.getByRole('link').allTextContents();
    await focusAndPress('Next page');
    await expect.poll(() => status.textContent()).toBe('Users 26–26 matching “pager_”.');
    const secondPage = await table.getByRole('link').allTextContents();
    expect(secondPage).toHaveLength(1);
    expect(firstPage).not.toContain(secondPage[0]);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await focusAndPress('Previous page');
    await expect.poll(() => table.getByRole('link').allTextContents()).toEqual(firstPage);
    await page.close();
  });

  it('shows a user locked by failed logins, unlocks them, and they log in again', async () => {
    const user = await create('locked');
    for (let i = 0; i < 5; i++) expect((await logIn({ ...user, password: 'a wrong password for sure' })).status).toBe(403);
    expect((await logIn(user)).body.code).toBe('headlesskey_account_locked');

    await openUser(user);
    const status = page.getByRole('region', { name: 'Status' });
    await expect.poll(() => status.textContent()).toContain('Locked by failed logins until');
    await focusAndPress('Unlock');
    await expect.poll(news).toBe(`Unlocked: ${user.username} may log in again.`);
    await expect.poll(() => status.textContent()).toContain('Not locked.');
    // The keyboard stays in the section the gone button was in.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('status-heading');
    expect((await logIn(user)).status).toBe(200);
    await page.close();
  });

  it('changes roles, and disables and enables a user after asking, in force through the API', async () => {
    const user = await create('staff');
    const token = (await logIn(user)).body.token;
    await openUser(user);
    const roles = page.getByRole('group', { name: `Roles of ${user.username}` });
    await roles.getByLabel('editor').focus();
    await page.keyboard.press('Space');
    await focusAndPress('Save roles');
    await expect.poll(news).toBe(`Roles of ${user.username} saved: editor, subscriber.`);
    const read = async () => (await call<{ roles: string[]; status: string }>(system, admin, 'GET', `/users/${user.id}`)).body;
    expect((await read()).roles).toEqual(['editor', 'subscriber']);

    await focusAndPress('Disable');
    const question = page.getByRole('group', { name: 'Disable', exact: true });
    await expect.poll(() => question.textContent()).toContain(`Disable ${user.username}?`);
    await question.getByRole('button', { name: 'Disable', exact: true }).click();
    await expect.poll(news).toBe(`Disabled: ${user.username} cannot sign in, and their sessions ended.`);
    expect((await read()).status).toBe('disabled');
    expect(await validate(token)).toBe('headlesskey_token_revoked');
    expect((await logIn(user)).status).toBe(403);
    await focusAndPress('Enable');
    await expect.poll(news).toBe(`Enabled: ${user.username} may sign in.`);
    expect((await logIn(user)).status).toBe(200);
    await page.close();
  });

  it("shows the API's refusal to demote the last administrator", async () => {
    const me = (await call<{ users: { ID: number }[] }>(system, admin, 'GET', `/users?search=${ADMIN.username}`)).body.users[0]!;
    await openUser({ id: me.ID, name: ADMIN.username });
    await page
      .getByRole('group', { name: `Roles of ${ADMIN.username}` })
      .getByLabel('editor')
      .check();
    await page
      .getByRole('group', { name: `Roles of ${ADMIN.username}` })
      .getByLabel('administrator')
      .uncheck();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await expect.poll(news).toBe('Roles not saved: The last active administrator cannot be demoted, disabled or deleted.');
    expect(await page.locator('#roles-error').textContent()).toBe('The last active administrator cannot be demoted, disabled or deleted.');
    expect((await call<{ roles: string[] }>(system, admin, 'GET', `/users/${me.ID}`)).body.roles).toEqual(['administrator']);
    await page.close();
  });

  it('ends one session after asking, then all of them', async () => {
    const user = await create('devices');
    const laptop = (await logIn(user, { 'user-agent': FIREFOX }, 'laptop')).body.token;
    const phone = (await logIn(user, {}, 'phone')).body.token;
    await logged(user.id, 'token.issued', (entries) => entries.length === 2);

    await openUser(user);
    const sessions = page.getByRole('table', { name: 'Live sessions, most recently seen first' });
    const row = (device: string) => sessions.getByRole('row').filter({ has: page.getByRole('cell', { name: device, exact: true }) });
    await expect.poll(() => row('laptop').textContent()).toContain('Firefox 128 / Windows 10 / desktop');

    // Asked first, in the row: the keyboard goes to Cancel; Escape answers no, nothing ends, and
    // the keyboard is back on the row's button.
    const endPhone = row('phone').getByRole('button', { name: 'End session' });
    await endPhone.focus();
    await page.keyboard.press('Enter');
    const question = row('phone').getByRole('group', { name: 'End session' });
    await expect.poll(() => question.textContent()).toContain('End this session? The device “phone” is signed out');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    expect(await scan(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    await expect.poll(() => endPhone.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await validate(phone)).toBe('valid');

    await page.keyboard.press('Enter');
    // Cancel has the focus: the confirm button is one Tab away.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(news).toBe('Session ended: its tokens no longer work.');
    await expect.poll(() => sessions.getByRole('row').count()).toBe(2);
    expect(await validate(phone)).toBe('headlesskey_token_revoked');
    expect(await validate(laptop)).toBe('valid');

    await focusAndPress('End all sessions');
    await page.getByRole('group', { name: 'End all sessions' }).getByRole('button', { name: 'End all sessions' }).click();
    await expect.poll(news).toBe('1 session ended.');
    await expect.poll(() => sessions.textContent()).toContain('No live sessions.');
    expect(await validate(laptop)).toBe('headlesskey_token_revoked');
    await page.close();
  });

  it("lists the user's recent logins, newest first", async () => {
    const user = await create('active');
    expect((await logIn(user, { 'user-agent': FIREFOX }, 'desk')).status).toBe(200);
    expect((await logIn({ ...user, password: 'a wrong password for sure' })).status).toBe(403);
    expect((await logIn(user, {}, 'pocket')).status).toBe(200);
    await logged(user.id, 'auth.login.succeeded', (entries) => entries.length === 2);
    await logged(user.id, 'auth.login.failed', (entries) => entries.length === 1);

    await openUser(user);
    const activity = page.getByRole('table', { name: /activity-log entries/ });
    const rows = activity.getByRole('row').filter({ has: page.getByRole('cell', { name: /^auth\.login\./ }) });
    await expect.poll(() => rows.count()).toBe(3);
    const events = await rows.evaluateAll((trs) => trs.map((tr) => [tr.children[1]?.textContent, tr.children[2]?.textContent]));
    expect(events).toEqual([
      ['auth.login.succeeded', 'success'],
      ['auth.login.failed', 'failure'],
      ['auth.login.succeeded', 'success'],
    ]);
    expect(await rows.last().textContent()).toContain('Firefox 128 / Windows 10 / desktop');
    expect(await scan(page)).toEqual([]);
    // The whole page in one picture: sessions and activity are below the first screenful.
    await page.setViewportSize({ width: 1280, height: await page.evaluate(() => document.documentElement.scrollHeight) });
    await shoot(page, 'user');
    await page.close();
  });

  it('shows hostile logins, names and devices as text, and runs nothing', async () => {
    const IMG = '<img src=x onerror=alert(1)>';
    const JS = 'javascript:alert(1)';
    // Printable ASCII is a valid login: both go in as logins, and as each other's display name.
    const made = async (username: string, name: string) => {
      const user = { ...newUser('hostile'), username, name };
      const reply = await call<{ ID: number } & WpError>(system, admin, 'POST', '/users', user);
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      return { ...user, id: reply.body.ID };
    };
    const img = await made(IMG, JS);
    const js = await made(JS, IMG);
    expect((await logIn(img, { 'user-agent': '<img src=x onerror=alert(2)>' }, JS)).status).toBe(200);
    await logged(img.id, 'auth.login.succeeded', (entries) => entries.length === 1);

    await open('/users');
    const seen = watchForInjection(page);
    const table = page.getByRole('table', { name: 'Users, newest first' });
    await table.getByRole('link', { name: IMG, exact: true }).waitFor();
    for (const value of [IMG, JS]) expect(await table.getByRole('cell', { name: value, exact: true }).count()).toBe(2);

    await table.getByRole('link', { name: IMG, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: JS }).waitFor();
    await page.getByRole('cell', { name: JS, exact: true }).waitFor();
    await expect.poll(() => page.getByRole('table', { name: /activity-log entries/ }).textContent()).toContain('auth.login.succeeded');
    await page.getByRole('link', { name: '← All users' }).click();
    await table.getByRole('link', { name: JS, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: IMG }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/admin/users/${js.id}`);
    expect(await page.locator('dl.profile dd').first().textContent()).toBe(JS);

    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('[href*="alert"], [src*="alert"]').count()).toBe(0);
    expect(seen).toEqual([]);
    await page.close();
  });
});

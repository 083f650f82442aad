import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, bearer } from './support/admin-api.js';
import { type Browser, openBrowser, accessibilityProblems as scan, shoot, signIn as signInAs } from './support/console.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { newUser } from './support/users.js';

/** The admin console in real Chromium against the whole system, as an operator uses it. */
describe('admin console', () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    system = await startTestSystem({ env: ADMIN_ENV });
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  /** Signs in on the settings screen: the console keeps the path it was opened at. */
  const signIn = async (username: string, password: string): Promise<string> => {
    const opened = await signInAs(browser, system, { username, password }, '/settings');
    page = opened.page;
    return opened.token;
  };
  const accessibilityProblems = () => scan(page);
  const validate = (token: string) => system.post<{ code?: string }>('/token/validate', undefined, bearer(token));

  it('serves the console with a strict CSP, and runs under it', async () => {
    const res = await system.request<string>('GET', '/admin/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    await page.goto(`${system.url}/admin/settings`);
    await expect.poll(() => page.getByRole('heading', { name: 'HeadlessKey console' }).isVisible()).toBe(true);
    // By keyboard alone: the first Tab reaches the first field.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('username');
    await shoot(page, 'sign-in');
    expect(violations).toEqual([]);
    await page.close();
  });

  it('refuses a non-administrator clearly and revokes their token', async () => {
    const user = newUser('console');
    expect((await system.post('/register', user)).status).toBe(201);
    const token = await signIn(user.username, user.password);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not an administrator');
    await expect.poll(async () => (await validate(token)).body.code).toBe('headlesskey_token_revoked');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await page.close();
  });

  it('shows a wrong password as the API says it', async () => {
    await signIn(ADMIN.username, 'not the password at all');
    await expect.poll(() => page.getByRole('alert').isVisible()).toBe(true);
    expect(await page.getByRole('alert').textContent()).not.toBe('');
    await page.close();
  });

  it('changes a setting through the form, in force through the API', async () => {
    await signIn(ADMIN.username, ADMIN.password);
    const ttl = page.getByLabel('Token lifetime (s)');
    await expect.poll(() => ttl.inputValue()).toBe('3600');
    // Defaults and meanings come from the contract.
    expect(await page.locator('#setting-token_ttl-help').textContent()).toContain('Default: 3600.');
    await shoot(page, 'settings');
    await ttl.fill('900');
    const saved = page.waitForResponse((res) => res.url().endsWith('/settings') && res.request().method() === 'PATCH');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => page.getByText('These are the values in force.').isVisible()).toBe(true);
    const admin = (await system.post<{ token: string }>('/token', { username: ADMIN.username, password: ADMIN.password })).body.token;
    expect((await system.get<{ token_ttl: number }>('/settings', bearer(admin))).body.token_ttl).toBe(900);
    await expect
      .poll(
        async () =>
          (await system.post<{ expires_in: number }>('/token', { username: ADMIN.username, password: ADMIN.password })).body.expires_in,
      )
      .toBe(900);
    await page.close();
  });

  it('shows a refused value next to its field and changes nothing', async () => {
    await signIn(ADMIN.username, ADMIN.password);
    const ttl = page.getByLabel('Token lifetime (s)');
    await expect.poll(() => ttl.inputValue()).toBe('900');
    await ttl.fill('30');
    await page.getByLabel('Failures per account and address').fill('7');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.locator('#setting-token_ttl-error').textContent()).toContain('token_ttl');
    expect(await ttl.getAttribute('aria-invalid')).toBe('true');
    // The keyboard is taken to the field at fault.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('setting-token_ttl');
    await shoot(page, 'settings-error');
    const admin = (await system.post<{ token: string }>('/token', { username: ADMIN.username, password: ADMIN.password })).body.token;
    const settings = (await system.get<{ token_ttl: number; max_attempts: number }>('/settings', bearer(admin))).body;
    expect({ token_ttl: settings.token_ttl, max_attempts: settings.max_attempts }).toEqual({ token_ttl: 900, max_attempts: 5 });
    await page.close();
  });

  it('asks before unsaved changes are left behind', async () => {
    await signIn(ADMIN.username, ADMIN.password);
    await page.getByLabel('Lockout (s)').fill('1200');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => dialogs).toEqual(['confirm']);
    // Dismissed: still signed in, the change still there.
    expect(await page.getByLabel('Lockout (s)').inputValue()).toBe('1200');
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs).toEqual(['confirm', 'beforeunload']);
  });

  it('passes an accessibility scan on every screen', async () => {
    page = await browser.context.newPage();
    await page.goto(`${system.url}/admin/`);
    await page.getByLabel('Username or email').waitFor();
    expect(await accessibilityProblems()).toEqual([]);
    await page.close();
    await signIn(ADMIN.username, ADMIN.password);
    await page.getByLabel('Token lifetime (s)').waitFor();
    expect(await accessibilityProblems()).toEqual([]);
    await page.getByLabel('Token lifetime (s)').fill('1');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#setting-token_ttl-error').waitFor();
    expect(await accessibilityProblems()).toEqual([]);
    await page.close();
  });

  it('refreshes the token before it expires, through the SDK', async () => {
    const admin = (await system.post<{ token: string }>('/token', { username: ADMIN.username, password: ADMIN.password })).body.token;
    expect((await system.request('PATCH', `${new URL(system.apiUrl).pathname}/settings`, { token_ttl: 60 }, bearer(admin))).status).toBe(
      200,
    );
    const first = await signIn(ADMIN.username, ADMIN.password);
    // The SDK rotates a 60 s token before it expires, and after a tenth of its life at the earliest.
    const res = await page.waitForResponse((r) => r.url().endsWith('/token/refresh'), { timeout: 55_000 });
    const next = { status: res.status(), token: ((await res.json()) as { token: string }).token };
    expect(next.status).toBe(200);
    expect(next.token).not.toBe(first);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(async () => (await validate(next.token)).body.code).toBe('headlesskey_token_revoked');
    await page.close();
  });

  it('signs an administrator in, and out again with the token revoked', async () => {
    const token = await signIn(ADMIN.username, ADMIN.password);
    await expect.poll(() => page.getByRole('heading', { name: 'General settings' }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/admin/settings');
    // Memory only: nothing of the session is in the origin's storage.
    expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }))).toEqual({ local: 0, session: 0 });
    expect((await validate(token)).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByLabel('Username or email').isVisible()).toBe(true);
    await expect.poll(async () => (await validate(token)).body.code).toBe('headlesskey_token_revoked');
    await page.close();
  });
});

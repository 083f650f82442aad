import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '@headlesskey/local';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from './support/browser.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { revoke } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

/** `examples/browser` as its README runs it, against the whole system, in Chromium. */
describe('the browser example', () => {
  let system: TestSystem;
  let serve: ChildProcess;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: string;

  beforeAll(async () => {
    system = await startTestSystem();
    const port = await freePort();
    serve = spawn(process.execPath, [resolve(import.meta.dirname, '../examples/browser/serve.mjs')], {
      env: { ...process.env, PORT: String(port) },
      stdio: 'ignore',
    });
    page = `http://127.0.0.1:${port}/?api=${encodeURIComponent(system.apiUrl)}`;
    await eventually(async () => ((await fetch(page).catch(() => undefined))?.ok ? true : undefined), 15_000, 'the example served');
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    serve?.kill();
    await system?.stop();
  });

  const status = (tab: Page) => tab.locator('#status');
  /** A new user, registered, signed in through the page's form in a new tab. */
  const signedIn = async (prefix: string) => {
    const user = newUser(prefix);
    expect((await system.post('/register', user)).status).toBe(201);
    const tab = await browser.context.newPage();
    await tab.goto(page);
    await tab.getByPlaceholder('username or email').fill(user.username);
    await tab.getByPlaceholder('password').fill(user.password);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => tab.locator('#me').textContent(), { timeout: 15_000 }).toContain(user.email);
    return { user, tab };
  };

  it('shows a refused sign-in with its code', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(page);
    await tab.getByPlaceholder('username or email').fill(newUser('refused').username);
    await tab.getByPlaceholder('password').fill('not anyone’s password');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => status(tab).textContent(), { timeout: 15_000 }).toContain('headlesskey_invalid_credentials');
    await tab.close();
  }, 60_000);

  it('signs in, shows /me and the sessions, stays signed in across a reload and a second tab, and signs both out', async () => {
    const { user, tab: first } = await signedIn('example');
    // The registration's session and this browser's.
    await expect.poll(() => first.locator('#sessions tr').allTextContents()).toEqual([expect.any(String), expect.any(String)]);
    expect((await first.locator('#sessions').textContent()) ?? '').toContain('(this browser)');

    await first.reload();
    await expect.poll(() => status(first).textContent(), { timeout: 15_000 }).toContain(`Signed in as ${user.username}`);
    const second = await browser.context.newPage();
    await second.goto(page);
    await expect.poll(() => second.locator('#me').textContent(), { timeout: 15_000 }).toContain(user.email);

    await second.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => status(first).textContent(), { timeout: 15_000 }).toBe('Signed out.');
    await first.close();
    await second.close();
  }, 60_000);

  it('says so when the session was ended elsewhere', async () => {
    const { tab } = await signedIn('ended');
    const token = await tab.evaluate(() => JSON.parse(localStorage.getItem('headlesskey.session') ?? '{}').token as string);
    expect((await revoke(system, token)).status).toBe(200);

    await tab.reload();
    await expect.poll(() => status(tab).textContent(), { timeout: 15_000 }).toBe('Your session was ended elsewhere.');
    await tab.close();
  }, 60_000);
});

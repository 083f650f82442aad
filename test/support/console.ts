import { resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN } from './admin-api.js';
import { openBrowser } from './browser.js';
import type { TestSystem } from './system.js';

/*
 * Driving the admin console in Debian's Chromium, for the console's end-to-end tests
 * (test/console*.test.ts): sign in as an operator does, scan a screen, photograph it.
 */

export type Browser = Awaited<ReturnType<typeof openBrowser>>;
export { openBrowser };

/** Only with HEADLESSKEY_SCREENSHOTS=1: the images in docs/ are tracked, and CI must not rewrite them. */
export async function shoot(page: Page, name: string): Promise<void> {
  if (process.env.HEADLESSKEY_SCREENSHOTS === '1') {
    await page.screenshot({ path: resolve(import.meta.dirname, `../../docs/console-${name}.png`) });
  }
}

/**
 * Opens the console in a new page at `path` (under `/admin`), signs in with the keyboard, and
 * answers the page and the token `/token` gave it.
 */
export async function signIn(
  browser: Browser,
  system: TestSystem,
  user: { username: string; password: string } = ADMIN,
  path = '/',
): Promise<{ page: Page; token: string }> {
  const page = await browser.context.newPage();
  await page.goto(`${system.url}/admin${path}`);
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  const answer = page.waitForResponse((res) => res.url().endsWith('/token') && res.request().method() === 'POST');
  await page.getByLabel('Password').press('Enter');
  const token = ((await (await answer).json()) as { token: string }).token;
  return { page, token };
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const { violations, passes } = await new AxeBuilder({ page }).analyze();
  // A scan that checked nothing (axe kept out of the page) would pass vacuously.
  expect(passes.length).toBeGreaterThan(5);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Records every script the page runs that it should not: a dialog (`alert(…)` from an injected
 * `onerror`), a CSP violation, or an uncaught error. A value that was rendered as markup instead
 * of text shows up here.
 */
export function watchForInjection(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (dialog) => {
    seen.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(`csp: ${msg.text()}`);
  });
  page.on('pageerror', (err) => seen.push(`error: ${err.message}`));
  return seen;
}

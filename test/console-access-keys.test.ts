import { generateKeyPairSync } from 'node:crypto';
import { ROUTE_ACCESS } from '@headlesskey/contracts';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, adminToken, call, type WpError } from './support/admin-api.js';
import { type Browser, openBrowser, accessibilityProblems as scan, shoot, signIn } from './support/console.js';
import { changeSettings, readSettings, whoAmI } from './support/settings-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { registerAndLogin } from './support/users.js';

/** The HS256 secret the system is given: it must never reach the page. */
const SECRET = 'console-keys-test-secret-9f1c2e7a5b3d4c6e8a0b';
type KeyView = { kid: string; alg: string; source: string; state: string };

const p256 = (namedCurve = 'prime256v1') =>
  generateKeyPairSync('ec', {
    namedCurve,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
/** A line of a PEM's body: what would show if the key were echoed anywhere. */
const markerOf = (pem: string) => pem.split('\n')[1] ?? pem;

/** The Access and the Algorithms and keys screens in real Chromium, against the whole system. */
// A scan of the access table is slow on a loaded machine: the tests get more room than the default.
describe('console: access and keys', { timeout: 180_000 }, () => {
  let system: TestSystem;
  let browser: Browser;
  let page: Page;
  let subscriber: string;

  beforeAll(async () => {
    system = await startTestSystem({ env: { ...ADMIN_ENV, HEADLESSKEY_SECRET_KEY: SECRET } });
    browser = await openBrowser();
    subscriber = (await registerAndLogin(system)).token;
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const open = async (path: string) => {
    page = (await signIn(browser, system, ADMIN, path)).page;
  };
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id);
  const responseOf = (method: string, path: string) =>
    page.waitForResponse((res) => res.request().method() === method && new URL(res.url()).pathname.endsWith(path));
  const keys = async () => (await call<{ algorithm: string; keys: KeyView[] }>(system, await adminToken(system), 'GET', '/keys')).body;

  describe('Access', () => {
    afterAll(async () => changeSettings(system, await adminToken(system), { access: ROUTE_ACCESS }));

    it('narrows GET /me to administrators by keyboard, in force through the API', async () => {
      expect((await whoAmI(system, subscriber)).status).toBe(200);
      await open('/access');
      const me = page.getByLabel('Who may call GET /me', { exact: true });
      await me.waitFor();
      // Signed-in users by default: the screen offers nothing wider.
      expect(await me.locator('option').allTextContents()).toEqual(['Any signed-in user', 'Only these roles']);
      await me.focus();
      await page.keyboard.press('ArrowDown');
      const roles = page.getByRole('group', { name: 'Roles that may call GET /me', exact: true });
      await expect.poll(() => roles.getByLabel('administrator').isChecked()).toBe(true);
      // Tab reaches the boxes of the row: a second role ticked and unticked with the space bar.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space');
      await expect.poll(() => roles.getByLabel('editor').isChecked()).toBe(true);
      await page.keyboard.press('Space');
      const saved = responseOf('PATCH', '/settings');
      await page.getByRole('button', { name: 'Save access' }).focus();
      await page.keyboard.press('Enter');
      expect((await saved).status()).toBe(200);
      await expect.poll(() => page.getByText('Saved. These are the rules in force.').isVisible()).toBe(true);
      const row = page.getByRole('row').filter({ has: page.getByText('GET /me', { exact: true }) });
      expect(await row.getByRole('cell').nth(2).textContent()).toBe('Roles: administrator');
      await me.evaluate((select) => select.scrollIntoView({ block: 'center', inline: 'nearest' }));
      await shoot(page, 'access');

      const admin = await adminToken(system);
      expect((await readSettings(system, admin)).body.access['GET /me']).toEqual(['administrator']);
      await expect.poll(async () => (await whoAmI(system, subscriber)).body.code).toBe('headlesskey_forbidden');
      expect((await whoAmI(system, admin)).status).toBe(200);
      await page.close();
    });

    it('offers an administrator route nothing wider, and shows the API refusing one forced in', async () => {
      await open('/access');
      const logs = page.getByLabel('Who may call GET /logs', { exact: true });
      await logs.waitFor();
      expect(await logs.locator('option').allTextContents()).toEqual(['Only these roles']);
      expect(await page.getByRole('group', { name: 'Roles that may call GET /logs', exact: true }).getByRole('checkbox').count()).toBe(1);
      // A page tampered with sends what the screen never offers: the API still judges.
      await logs.evaluate((select) => select.append(new Option('Anyone', 'public')));
      await logs.selectOption('public');
      const refused = responseOf('PATCH', '/settings');
      await page.getByRole('button', { name: 'Save access' }).click();
      expect((await refused).status()).toBe(400);
      const error = page.locator(`#${await logs.getAttribute('id')}-error`);
      await expect.poll(() => error.textContent()).toMatch(/^access\[GET \/logs\] .*never opened/);
      expect(await logs.getAttribute('aria-invalid')).toBe('true');
      expect(await focused()).toBe('Who may call GET /logs');
      expect(await accessibilityProblems()).toEqual([]);
      const admin = await adminToken(system);
      expect((await readSettings(system, admin)).body.access['GET /logs']).toEqual(['administrator']);
      expect((await call<WpError>(system, subscriber, 'GET', '/logs')).body.code).toBe('headlesskey_forbidden');
      await page.close();
    });
  });

  describe('Algorithms and keys', () => {
    it('says the HS256 secret comes from the environment and never shows it', async () => {
      await open('/keys');
      const answered = responseOf('GET', '/keys');
      await page.getByRole('heading', { name: 'Algorithms and keys' }).waitFor();
      expect(await (await answered).text()).not.toContain(SECRET);
      await expect.poll(() => page.locator('#hs256-source').textContent()).toContain('comes from the environment');
      const row = page.getByRole('row').filter({ hasText: 'HS256' });
      expect(await row.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['Environment', 'Active (signs)']));
      expect(await page.content()).not.toContain(SECRET);
      expect(await page.getByRole('link', { name: /JWKS/ }).getAttribute('href')).toBe('/.well-known/jwks.json');
      await page.close();
    });

    it('switches to ES256 and imports a P-256 key from a file: listed as imported and active, signing tokens the JWKS verifies', async () => {
      await open('/keys');
      const algorithm = page.getByLabel('Signing algorithm');
      await expect.poll(() => algorithm.inputValue()).toBe('HS256');
      await algorithm.selectOption('ES256');
      const saved = responseOf('PATCH', '/settings');
      await page.getByRole('button', { name: 'Use this algorithm' }).click();
      expect((await saved).status()).toBe(200);
      await expect.poll(() => page.getByText('Saved: new tokens are signed with ES256.').isVisible()).toBe(true);

      const pem = p256();
      await page
        .getByLabel('Or read the key from a file')
        .setInputFiles({ name: 'key.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) });
      const field = page.getByLabel('PEM private key', { exact: true });
      await expect.poll(() => field.inputValue()).toBe(pem);
      expect(await page.getByLabel('Algorithm of the key').inputValue()).toBe('ES256');
      const imported = responseOf('POST', '/keys/import');
      await page.getByRole('button', { name: 'Import the key' }).click();
      const { kid } = (await (await imported).json()) as { kid: string };
      await expect.poll(() => page.getByText(`Imported as ${kid} (ES256), signing now.`).isVisible()).toBe(true);
      expect(await field.inputValue()).toBe('');
      const row = page.getByRole('row').filter({ hasText: kid });
      await expect
        .poll(() => row.getByRole('cell').allTextContents())
        .toEqual(expect.arrayContaining(['ES256', 'Imported', 'Active (signs)']));
      expect(await page.content()).not.toContain(markerOf(pem));
      expect((await keys()).keys).toContainEqual(expect.objectContaining({ kid, alg: 'ES256', source: 'imported', state: 'active' }));
      await page.evaluate(() => window.scrollTo(0, 0));
      await shoot(page, 'keys');

      // The setting reaches the tokens service through its watch: the next logins sign with the key.
      let token = '';
      await expect
        .poll(async () => {
          token = (await system.post<{ token: string }>('/token', { username: ADMIN.username, password: ADMIN.password })).body.token;
          return decodeProtectedHeader(token).kid;
        })
        .toBe(kid);
      const jwks = createRemoteJWKSet(new URL(`${system.url}/.well-known/jwks.json`));
      const { protectedHeader } = await jwtVerify(token, jwks);
      expect(protectedHeader).toMatchObject({ alg: 'ES256', kid });
      await page.close();
    });

    it('shows the API refusing a bad PEM next to the field, and keeps nothing', async () => {
      const before = await keys();
      await open('/keys');
      const field = page.getByLabel('PEM private key', { exact: true });
      await field.fill(p256('secp384r1'));
      const refused = responseOf('POST', '/keys/import');
      await page.getByRole('button', { name: 'Import the key' }).click();
      expect((await refused).status()).toBe(400);
      await expect.poll(() => page.locator('#import-pem-error').textContent()).toMatch(/P-256/);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await focused()).toBe('import-pem');
      expect(await accessibilityProblems()).toEqual([]);
      expect(await keys()).toEqual(before);
      await page.close();
    });

    it('rotates only once confirmed, by keyboard', async () => {
      const before = await keys();
      const live = before.keys.find((k) => k.alg === 'ES256' && k.state === 'active')!;
      await open('/keys');
      const start = page.getByRole('button', { name: 'Rotate the ES256 key…' });
      await start.focus();
      await page.keyboard.press('Enter');
      // The keyboard is taken to the safe answer, and back to the button when it is cancelled.
      const question = page.getByRole('group', { name: 'Rotate the ES256 key…' });
      await expect.poll(() => question.textContent()).toContain('Rotate the ES256 signing key?');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
      expect(await accessibilityProblems()).toEqual([]);
      await page.keyboard.press('Enter');
      await expect.poll(() => start.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await keys()).toEqual(before);

      await page.keyboard.press('Enter');
      const rotated = responseOf('POST', '/keys/rotate');
      await page.getByRole('button', { name: 'Rotate now' }).press('Enter');
      const { kid, retired } = (await (await rotated).json()) as { kid: string; retired: string[] };
      expect(retired).toEqual([live.kid]);
      await expect.poll(() => page.getByText(`Rotated: ES256 tokens are now signed by ${kid}`).isVisible()).toBe(true);
      // Done, the question goes and the keyboard is back on the button.
      await question.waitFor({ state: 'detached' });
      await expect.poll(() => start.evaluate((el) => el === document.activeElement)).toBe(true);
      const old = page.getByRole('row').filter({ hasText: live.kid });
      await expect.poll(() => old.getByRole('cell').nth(3).textContent()).toBe('Verifying only');
      expect(await page.content()).not.toContain(SECRET);
      await page.close();
    });
  });

  const accessibilityProblems = () => scan(page);
});

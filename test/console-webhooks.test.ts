import type { Locator, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, adminToken, call, DISPATCHER_ENV } from './support/admin-api.js';
import { type Browser, openBrowser, accessibilityProblems as scan, shoot, signIn, watchForInjection } from './support/console.js';
import { hmacHex } from './support/sso.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { newUser } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const INJECTED = '<img src=x onerror=alert(1)>';
const SCRIPT_URL = 'javascript:alert(1)';

/** Presses Tab until `target` has the focus: it is reachable by keyboard, in the page's order. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${target} is not reachable by Tab`);
}

/** `expect.poll` with room for a loaded machine: it waits for the page, it asserts nothing about speed. */
const poll = <T>(probe: () => Promise<T> | T) => expect.poll(probe, { timeout: 30_000 });
/** A whole system and Chromium on two busy cores: a test's steps are many, none is timed. */
const SLOW = 180_000;

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');
/** What the page says is wrong with a control: the last text its `aria-describedby` points to. */
const problemOf = (control: Locator) =>
  control.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '')?.textContent);

/** The Webhooks and SSO sites screens in real Chromium, against the whole system and a receiver. */
describe('console: webhooks and SSO sites', { timeout: SLOW }, () => {
  let system: TestSystem;
  let browser: Browser;
  let receiver: Receiver;
  let admin: string;
  let page: Page;
  let injected: string[];
  /** The webhook made through the console, and the secret it showed once. */
  const hook = { url: '', id: '', secret: '' };
  const api = <T>(method: string, path: string, body?: unknown) => call<T & { code?: string }>(system, admin, method, path, body);
  const received = (type: string) => receiver.received.filter((r) => r.path === '/console' && JSON.parse(r.body).type === type);
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  /** A delivery's event, attempts, status and response code, as its row shows them. */
  const deliveryCells = async (type: string) => (await row(type).getByRole('cell').allTextContents()).slice(0, 4);

  beforeAll(async () => {
    system = await startTestSystem({ env: DISPATCHER_ENV });
    [browser, receiver, admin] = await Promise.all([openBrowser(), startReceiver(), adminToken(system)]);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: system.url });
    hook.url = `${receiver.url}/console`;
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await system?.stop();
  });

  it('adds a webhook by keyboard and shows its secret once, with a copy button', async () => {
    ({ page } = await signIn(browser, system, ADMIN, '/webhooks'));
    injected = watchForInjection(page);
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No webhook yet.').waitFor();

    // A script URL is refused by the API, and said next to its field.
    await page.getByLabel('Endpoint URL').fill(SCRIPT_URL);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await poll(() => page.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Endpoint URL').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await problemOf(page.getByLabel('Endpoint URL'))).toMatch(/^url /);

    await page.getByLabel('Endpoint URL').fill(hook.url);
    await page.keyboard.press('Tab');
    expect(await page.getByLabel('Description').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByLabel('Description').fill(INJECTED);
    await tabTo(page, page.getByRole('button', { name: 'Add webhook' }));
    const created = page.waitForResponse((res) => res.url().endsWith('/webhooks') && res.request().method() === 'POST');
    await page.keyboard.press('Enter');
    const reply = (await (await created).json()) as { id: string; secret: string };
    hook.id = reply.id;

    // Focus goes to the news, which says plainly that it is shown once.
    await poll(() => focusedText(page)).toBe('Webhook added: its signing secret');
    expect(await page.getByText('it will not be shown again').isVisible()).toBe(true);
    hook.secret = await page.getByLabel(`Signing secret of ${hook.url}`).inputValue();
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook.secret).toBe(reply.secret);
    await page.keyboard.press('Tab'); // the secret's field
    await page.keyboard.press('Tab'); // Copy
    await page.keyboard.press('Enter');
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(hook.secret);
    expect(await scan(page)).toEqual([]);

    // The description is a row's text, not markup.
    expect(await row(hook.url).getByRole('cell').nth(1).textContent()).toBe(INJECTED);
    expect(await page.locator('main img').count()).toBe(0);
    await shoot(page, 'webhooks');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByLabel(`Signing secret of ${hook.url}`).waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(hook.secret);
    expect(injected).toEqual([]);
  });

  it('sends a test event, signed by the secret shown, and lists it with its response code', async () => {
    await tabTo(page, page.getByRole('link', { name: `Manage the webhook to ${hook.url}` }));
    await page.keyboard.press('Enter');
    await poll(() => focusedText(page)).toBe('Webhook');
    // The URL is text on the page, never a link.
    expect(await page.locator('main code.url').first().textContent()).toBe(hook.url);
    expect(await page.locator(`a[href*="${receiver.port}"]`).count()).toBe(0);
    await page.getByText('No delivery yet').waitFor();

    await tabTo(page, page.getByRole('button', { name: 'Send a test event' }));
    await page.keyboard.press('Enter');
    await page.getByText('event was queued for this endpoint').waitFor();
    await poll(() => received('webhook.test').length).toBe(1);
    const [got] = received('webhook.test');
    expect(new Webhook(hook.secret).verify(got!.body, got!.headers)).toMatchObject({
      type: 'webhook.test',
      data: { endpoint_id: hook.id },
    });
    // The table follows the delivery to its end: delivered, one attempt, answered 204.
    await poll(() => deliveryCells('webhook.test')).toEqual(['webhook.test', '1', 'delivered', '204']);
    expect(await scan(page)).toEqual([]);
  });

  it('lists the delivery of a user registered through the API, and redelivers it', async () => {
    expect((await system.post('/register', newUser('hooked'))).status).toBe(201);
    await poll(() => deliveryCells('user.registered')).toEqual(['user.registered', '1', 'delivered', '204']);
    const [first] = received('user.registered');
    await shoot(page, 'webhook');
    await row('user.registered')
      .getByRole('button', { name: /^Redeliver user\.registered/ })
      .click();
    await page.getByText('Queued again').waitFor();
    // Sent again under the same webhook-id, signed again.
    await poll(() => received('user.registered').map((r) => r.id)).toEqual([first!.id, first!.id]);
    expect(new Webhook(hook.secret).verify(received('user.registered')[1]!.body, received('user.registered')[1]!.headers)).toBeTruthy();
    expect(injected).toEqual([]);
  });

  it('changes the webhook, rotates its secret, and deletes it after asking', async () => {
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByLabel('All event types, present and future').uncheck();
    await page.getByLabel('auth.login.failed').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved. This is the webhook as it is now.').waitFor();
    expect((await api<{ events: string[]; description: string }>('GET', `/webhooks/${hook.id}`)).body).toMatchObject({
      events: ['auth.login.failed'],
      description: 'CRM sync',
    });

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await poll(() => focusedText(page)).toBe('New signing secret');
    const rotated = await page.getByLabel(`New signing secret of ${hook.url}`).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(hook.secret);
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await poll(() => received('webhook.test').length).toBe(2);
    expect(new Webhook(rotated).verify(received('webhook.test')[1]!.body, received('webhook.test')[1]!.headers)).toBeTruthy();

    // By keyboard: the question takes the focus to Cancel; Escape gives it back and deletes nothing.
    await page.getByRole('button', { name: 'Delete webhook' }).focus();
    await page.keyboard.press('Enter');
    await poll(() => focusedText(page)).toBe('Cancel');
    await page.keyboard.press('Escape');
    await poll(() => focusedText(page)).toBe('Delete webhook');
    expect((await api('GET', `/webhooks/${hook.id}`)).status).toBe(200);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Delete it for good' }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByText('No webhook yet.').waitFor();
    expect((await api('GET', `/webhooks/${hook.id}`)).status).toBe(404);
    expect(injected).toEqual([]);
    await page.close();
  });

  it('connects an SSO site whose secret is shown once, changes, rotates and disconnects it', async () => {
    ({ page } = await signIn(browser, system, ADMIN, '/sso'));
    injected = watchForInjection(page);
    await page.getByText('No site yet.').waitFor();
    await page.getByLabel('Site key').fill('shop');
    await page.getByLabel('Issuer').fill(SCRIPT_URL);
    await page.getByLabel('Audience (optional)').fill(INJECTED);
    await page.getByLabel('Its HS256 secret').fill('the-remote-sites-own-hs256-secret-0123456789');
    await page.getByRole('button', { name: 'Connect site' }).click();
    const field = page.getByLabel('Shared secret of shop');
    const secret = await field.inputValue();
    expect(secret).toMatch(/^hksso_/);
    // Without a clipboard, Copy selects the secret for the person to copy.
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('the secret is selected').waitFor();
    expect(await field.evaluate((el: HTMLInputElement) => el.value.slice(el.selectionStart!, el.selectionEnd!))).toBe(secret);
    // It is the site's secret: a request it signs passes the signature check (and fails on the token).
    const signed = async (key: string) =>
      (
        await system.post<{ code: string }>('/sso/exchange', {
          site_key: 'shop',
          token: 'not.a.token',
          signature: hmacHex(key, 'not.a.token'),
        })
      ).body.code;
    expect(await signed(secret)).toBe('headlesskey_invalid_token');
    expect(await signed('hksso_another')).toBe('headlesskey_sso_invalid_signature');

    // The issuer and audience are text: no link, no image.
    expect(await row('shop').getByRole('cell').nth(1).textContent()).toBe(SCRIPT_URL);
    expect(await row('shop').getByRole('cell').nth(2).textContent()).toBe(INJECTED);
    expect(await page.locator('main a[href^="javascript"], main img').count()).toBe(0);
    expect(await scan(page)).toEqual([]);
    await shoot(page, 'sso');
    await page.getByRole('button', { name: 'I have stored it' }).click();

    await page.getByRole('link', { name: 'Manage the site shop' }).click();
    await poll(() => focusedText(page)).toBe('SSO site shop');
    expect(await page.locator('main a[href^="javascript"], main img').count()).toBe(0);
    await page.getByLabel('Create a local account for a user it vouches for').check();
    await page.getByLabel('Role of a created account').selectOption('author');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved. This is the site as it is now.').waitFor();
    expect((await api('GET', '/sso/sites/shop')).body).toMatchObject({ provision_users: true, default_role: 'author', issuer: SCRIPT_URL });
    // A refused change is said next to its field, and nothing changes.
    await page.getByLabel('Verify its tokens with').selectOption('jwks');
    await page.getByLabel('JWKS URL').fill('not a url');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await poll(() => page.getByLabel('JWKS URL').getAttribute('aria-invalid')).toBe('true');
    expect(await problemOf(page.getByLabel('JWKS URL'))).toMatch(/^jwks_url /);
    expect(await scan(page)).toEqual([]);
    expect((await api('GET', '/sso/sites/shop')).body).toMatchObject({ verification: 'hs256' });

    await page.getByRole('button', { name: 'Rotate shared secret' }).click();
    const rotated = await page.getByLabel('New shared secret of shop').inputValue();
    expect(rotated).toMatch(/^hksso_/);
    expect(await signed(rotated)).toBe('headlesskey_invalid_token');
    expect(await signed(secret)).toBe('headlesskey_sso_invalid_signature');

    await page.getByRole('button', { name: 'Disconnect site' }).click();
    await page.getByRole('button', { name: 'Disconnect it' }).click();
    await page.getByText('No site yet.').waitFor();
    expect((await api('GET', '/sso/sites/shop')).status).toBe(404);
    expect(injected).toEqual([]);
    await page.close();
  });
});

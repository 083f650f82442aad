import type { NatsConnection } from '@nats-io/transport-node';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, call, createEndpoint, DISPATCHER_ENV, deliveriesOf, envelope, publishEvent, rawBus } from './support/admin-api.js';
import { accessibilityProblems, type Browser, openBrowser, shoot, signIn, watchForInjection } from './support/console.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser, registerAndLogin } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

type Counts = { succeeded: number; failed: number; lockouts: number; ip_blocks: number };
const HOSTILE = '<img src=x onerror=alert(1)>';
/** What the page shows once its queries answer: generous, as a busy machine answers slowly. */
const poll = <T>(probe: () => Promise<T>, message?: string) => expect.poll(probe, { timeout: 20_000, message });

/** The overview, the console's home, in real Chromium: its figures are the API's. */
describe('console overview', () => {
  let system: TestSystem;
  let browser: Browser;
  let nc: NatsConnection;
  let receiver: Receiver;
  let page: Page;
  let token: string;
  let injected: string[];

  const api = async <T>(path: string) => (await call<T>(system, token, 'GET', path)).body;
  /** The number shown under a figure's label. */
  const figure = (label: string): Locator => page.locator('.figure', { has: page.getByText(label, { exact: true }) }).locator('.number');

  beforeAll(async () => {
    system = await startTestSystem({ env: { ...DISPATCHER_ENV, HEADLESSKEY_WEBHOOK_RETRY_SCHEDULE: '0.05' } });
    [browser, nc, receiver] = await Promise.all([openBrowser(), rawBus(), startReceiver(() => ({ status: 503 }))]);
    // Sign-in activity: failures, and an IP block two days ago that only the 7-day range holds.
    const user = await registerAndLogin(system);
    for (let i = 0; i < 3; i++) await system.post('/token', { username: user.username, password: 'not the password' });
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000).toISOString();
    await publishEvent(
      nc,
      system.names,
      envelope('auth.ip.blocked', { ip: '203.0.113.0', block_seconds: 900 }, { occurredAt: twoDaysAgo }),
    );
    // A failing endpoint whose one delivery is given up on; its description is hostile text.
    const admin = await adminToken(system);
    const hook = await createEndpoint(system, admin, `${receiver.url}/hook`, { events: ['user.registered'], description: HOSTILE });
    expect((await system.post('/register', newUser('hooked'))).status).toBe(201);
    await eventually(async () => ((await deliveriesOf(system, admin, hook.id))[0]?.status === 'dead' ? true : undefined), 30_000);
    await eventually(async () => {
      const week = (await call<{ totals: Counts }>(system, admin, 'GET', '/logs/stats?range=7d')).body.totals;
      return week.ip_blocks === 1 && week.failed === 3 ? true : undefined;
    });
  });
  afterAll(async () => {
    await Promise.allSettled([browser?.close(), nc?.close(), receiver?.close()]);
    await system?.stop();
  });

  it('opens on the overview after sign-in, its figures those the API counts', async () => {
    ({ page, token } = await signIn(browser, system));
    injected = watchForInjection(page);
    await poll(() => page.getByRole('heading', { name: 'Overview', level: 1 }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/admin/overview');
    expect(await page.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');

    const day = await api<{ totals: Counts }>('/logs/stats');
    const sessions = await api<{ live_sessions: number; users: number }>('/sessions/stats');
    const hooks = await api<{ failing: unknown[]; dead: number; pending: number; endpoints: number }>('/webhooks/stats');
    // Sessions: the user's registration and login, the hooked user's registration, the
    // administrator's token and this sign-in.
    expect(sessions).toEqual({ live_sessions: 5, users: 3 });
    expect(hooks).toMatchObject({ failing: [expect.anything()], dead: 1 });
    expect(day.totals).toMatchObject({ failed: 3, ip_blocks: 0 });
    const shown = {
      'Live sessions': sessions.live_sessions,
      'Account lockouts': day.totals.lockouts,
      'IP blocks': 0,
      'Failing webhook endpoints': 1,
      'Deliveries given up': 1,
      'Deliveries waiting': hooks.pending,
    };
    for (const [label, value] of Object.entries(shown)) await poll(() => figure(label).textContent(), label).toBe(String(value));
    expect(await page.locator('.figure', { hasText: 'Live sessions' }).locator('.note').textContent()).toBe('of 3 users');
    await poll(() => page.locator('.summary').textContent()).toBe(
      `Last 24 hours: ${day.totals.succeeded} logins succeeded, 3 failed, ${day.totals.lockouts} account lockouts, 0 IP blocks.`,
    );

    // The chart, named for assistive technology, and its figures as a table.
    const chart = page.getByRole('img', { name: /^Chart of logins per hour\. Last 24 hours: / });
    expect(await chart.locator('canvas').count()).toBe(1);
    expect((await chart.boundingBox())?.height).toBeGreaterThan(200);
    await page.getByText('Hours with sign-in activity, as a table').click();
    const rows = page.getByRole('table', { name: /Sign-in events per hour/ }).locator('tbody tr');
    const failedCells = await rows.locator('td:nth-child(3)').allTextContents();
    expect(failedCells.reduce((sum, n) => sum + Number(n), 0)).toBe(3);

    // The failing endpoint, its hostile description shown as text.
    const failing = page.getByRole('table', { name: 'Failing webhook endpoints' });
    expect(await failing.getByText(`${receiver.url}/hook`).count()).toBe(1);
    expect(await failing.getByText(HOSTILE).count()).toBe(1);
    expect(await failing.textContent()).toContain('HTTP 503');
    // Tall enough for the whole screen in the picture.
    await page.setViewportSize({ width: 1280, height: 1360 });
    await shoot(page, 'overview');
  });

  it('switches to 7 days by keyboard, the figures following', async () => {
    const last24 = page.getByRole('radio', { name: 'Last 24 hours' });
    await last24.focus();
    expect(await last24.isChecked()).toBe(true);
    const asked = page.waitForResponse((res) => res.url().includes('/logs/stats?range=7d'));
    await page.keyboard.press('ArrowRight');
    expect((await asked).status()).toBe(200);
    expect(await page.getByRole('radio', { name: 'Last 7 days' }).isChecked()).toBe(true);
    const week = await api<{ totals: Counts }>('/logs/stats?range=7d');
    expect(week.totals.ip_blocks).toBe(1);
    await poll(() => page.locator('.summary').textContent()).toMatch(/^Last 7 days: .* 1 IP block\.$/);
    expect(await figure('IP blocks').textContent()).toBe('1');
    expect(await page.getByRole('img', { name: /^Chart of logins per hour\. Last 7 days: / }).count()).toBe(1);
    // And back.
    await page.keyboard.press('ArrowLeft');
    await poll(() => figure('IP blocks').textContent()).toBe('0');
  });

  it("lists every service's health from /readyz", async () => {
    const ready = (await system.request<{ services: Record<string, string> }>('GET', '/readyz')).body.services;
    expect(Object.keys(ready).sort()).toEqual(['audit', 'identity', 'tokens', 'webhooks']);
    const services = page.getByRole('list', { name: 'Services' }).getByRole('listitem');
    await poll(() => services.count()).toBe(4);
    for (const name of Object.keys(ready)) {
      expect(await services.filter({ hasText: name }).textContent()).toBe(`${name}Healthy`);
    }
    expect(await page.getByText('Every service is ready.').isVisible()).toBe(true);
  });

  it('passes an accessibility scan and ran nothing it should not', async () => {
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(injected).toEqual([]);
    await page.close();
  });
});

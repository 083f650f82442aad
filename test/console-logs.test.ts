import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ADMIN_ENV, adminToken, call } from './support/admin-api.js';
import { accessibilityProblems, type Browser, openBrowser, shoot, signIn, watchForInjection } from './support/console.js';
import { NO_RATE_LIMITS, startTestSystem, type TestSystem } from './support/system.js';
import { eventually, newUser } from './support/users.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1';
const EVIL = '<img src=x onerror=alert(1)> javascript:alert(1)';

interface Entry {
  id: string;
  occurred_at: string;
  event: string;
  user_login: string | null;
}
type User = { username: string; password: string; id: number };
/** How long the page may take to show what it should: two cores are shared with other tests. */
const UI = { timeout: 20_000 };
/** Tests with an axe scan: a scan alone takes tens of seconds there. */
const SLOW = 120_000;

/** The Logs screen in real Chromium against the whole system: filters, paging, live mode, CSV. */
describe('console: activity log', () => {
  let system: TestSystem;
  let browser: Browser;
  let admin: string;
  let alice: User;
  let bob: User;
  let evil: User;

  /** Every entry of a filter, through the API, newest first. */
  const apiEntries = async (query: Record<string, string>, perPage = 100): Promise<Entry[][]> => {
    const pages: Entry[][] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ ...query, per_page: String(perPage), ...(cursor ? { cursor } : {}) });
      const reply = await call<{ entries: Entry[]; next_cursor: string | null }>(system, admin, 'GET', `/logs?${params}`);
      expect(reply.status).toBe(200);
      pages.push(reply.body.entries);
      cursor = reply.body.next_cursor;
    } while (cursor);
    return pages;
  };
  const keys = (entries: Entry[]) => entries.map((e) => `${e.occurred_at} ${e.event}`);
  /** The table as the operator sees it: each row's time (its exact instant) and event. */
  const tableRows = (page: Page) =>
    page
      .locator('table.data tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => `${r.querySelector('time')?.getAttribute('datetime')} ${r.querySelector('td:nth-child(2)')?.textContent}`),
      );
  const register = async (prefix: string, agent: string, over: Record<string, string> = {}): Promise<User> => {
    const user = { ...newUser(prefix), ...over };
    const reply = await system.post<{ user_id: number }>('/register', user, { 'user-agent': agent });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return { ...user, id: reply.body.user_id };
  };
  const logIn = async (user: User, agent: string, password = user.password) =>
    (await system.post('/token', { username: user.username, password }, { 'user-agent': agent })).status;
  /** Waits until the log holds `count` entries of a user: the projection is asynchronous. */
  const projected = (user: User, count: number) =>
    eventually(async () => ((await apiEntries({ user: String(user.id) })).flat().length === count ? true : undefined), 20_000);
  const openLogs = (path: string) => signIn(browser, system, ADMIN, `/logs${path}`).then(({ page }) => page);

  beforeAll(async () => {
    system = await startTestSystem({ env: { ...ADMIN_ENV, ...NO_RATE_LIMITS } });
    browser = await openBrowser();
    admin = await adminToken(system);
    // register: user.registered + token.issued; each login: auth.login.succeeded + token.issued.
    alice = await register('alice', CHROME);
    for (let i = 0; i < 4; i++) expect(await logIn(alice, CHROME)).toBe(200);
    // The time filter is by the second: the newest login (and the failure after it) must fall in a
    // later second than the entries before them, however fast the machine.
    await new Promise((done) => setTimeout(done, 1100));
    expect(await logIn(alice, CHROME)).toBe(200);
    expect(await logIn(alice, CHROME, 'not the password at all')).toBe(403);
    bob = await register('bob', IPHONE);
    evil = await register('evil', EVIL, { username: `${EVIL} ${newUser('x').username.slice(2)}`, name: EVIL });
    await Promise.all([projected(alice, 13), projected(bob, 2), projected(evil, 2)]);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('shows the log newest first, with the device each entry came from', async () => {
    const page = await openLogs('');
    await expect.poll(() => page.getByRole('heading', { name: 'Activity log' }).isVisible(), UI).toBe(true);
    // The whole log grows while the admin signs in: its rows are checked for order, a user's below.
    await expect.poll(async () => (await tableRows(page)).length, UI).toBeGreaterThan(10);
    const times = (await tableRows(page)).map((row) => row.split(' ')[0]!);
    expect([...times].sort().reverse()).toEqual(times);
    await page.close();

    const filtered = await openLogs(`?user=${alice.username}`);
    await expect.poll(() => tableRows(filtered), UI).toEqual(keys((await apiEntries({ user: alice.username })).flat()));
    const failed = filtered.locator('tbody tr', { hasText: 'auth.login.failed' });
    expect(await failed.locator('td:nth-child(6)').textContent()).toBe('Chrome 120 / Windows 10 / desktop');
    expect(await failed.locator('td:nth-child(6) span').getAttribute('title')).toBe(CHROME);
    expect(await failed.locator('td:nth-child(4)').textContent()).toBe(`${alice.username} #${alice.id}`);
    await shoot(filtered, 'logs');
    await filtered.close();
  });

  it('filters by user, event type and time, in the URL, as the API does', async () => {
    const page = await openLogs('');
    await page.getByLabel('User', { exact: true }).fill(alice.username);
    await page.getByLabel('User', { exact: true }).press('Enter');
    const alices = (await apiEntries({ user: alice.username })).flat();
    await expect.poll(() => tableRows(page), UI).toEqual(keys(alices));
    expect(new URL(page.url()).search).toBe(`?user=${alice.username}`);

    await page.getByText('Event types: all').click();
    await page.getByLabel('auth.login.failed').check();
    await page.getByLabel('user.registered').check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const two = (await apiEntries({ user: alice.username, event: 'user.registered,auth.login.failed' })).flat();
    expect(two.map((e) => e.event).sort()).toEqual(['auth.login.failed', 'user.registered']);
    await expect.poll(() => tableRows(page), UI).toEqual(keys(two));

    // The filter survives a reload (a new sign-in: the token lives in memory only).
    const url = page.url();
    await page.close();
    const linked = await openLogs(new URL(url).search);
    await expect.poll(() => tableRows(linked), UI).toEqual(keys(two));
    expect(await linked.getByLabel('User', { exact: true }).inputValue()).toBe(alice.username);
    expect(await linked.getByLabel('user.registered').isChecked()).toBe(true);

    // From the second of the newest login on, in UTC.
    const newest = alices.find((e) => e.event === 'auth.login.succeeded')!.occurred_at;
    await linked.getByRole('button', { name: 'Clear filters' }).click();
    // The form follows the URL: typing before it has would be undone.
    await expect.poll(() => linked.getByLabel('User', { exact: true }).inputValue(), UI).toBe('');
    await linked.getByLabel('User', { exact: true }).fill(alice.username);
    await linked.getByLabel('From (UTC)').fill(newest.slice(0, 19));
    await linked.getByRole('button', { name: 'Apply filters' }).click();
    const since = (await apiEntries({ user: alice.username, since: `${newest.slice(0, 19)}Z` })).flat();
    expect(since.length).toBeLessThan(alices.length);
    await expect.poll(() => tableRows(linked), UI).toEqual(keys(since));
    await linked.close();
  });

  it(
    'shows a refused filter next to its field, in the API’s words',
    async () => {
      const page = await openLogs('');
      await page.getByLabel('IP address').fill('10.0.0.0/40');
      await page.getByLabel('IP address').press('Enter');
      const api = await call<{ data: { params: Record<string, string> } }>(system, admin, 'GET', '/logs?ip=10.0.0.0%2F40');
      expect(api.status).toBe(400);
      await expect.poll(() => page.locator('#log-ip-error').textContent(), UI).toBe(api.body.data.params.ip);
      expect(await page.getByLabel('IP address').getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('log-ip');
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.close();
    },
    SLOW,
  );

  it('pages forward and back through the cursor', async () => {
    const page = await openLogs(`?user=${alice.id}&per_page=5`);
    const pages = (await apiEntries({ user: String(alice.id) }, 5)).map(keys);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 3]);
    const next = page.getByRole('button', { name: 'Next page' });
    const previous = page.getByRole('button', { name: 'Previous page' });
    await expect.poll(() => tableRows(page), UI).toEqual(pages[0]);
    expect(await previous.getAttribute('aria-disabled')).toBe('true');
    await next.click();
    await expect.poll(() => tableRows(page), UI).toEqual(pages[1]);
    await next.click();
    await expect.poll(() => tableRows(page), UI).toEqual(pages[2]);
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    await previous.click();
    await expect.poll(() => tableRows(page), UI).toEqual(pages[1]);
    await previous.click();
    await expect.poll(() => tableRows(page), UI).toEqual(pages[0]);
    expect(await page.locator('table.data caption').textContent()).toBe('Activity log, newest first, page 1');
    await page.close();
  });

  it('shows a new login live, without a reload, and stops on leaving the screen', async () => {
    const page = await openLogs(`?user=${bob.username}`);
    await expect.poll(() => tableRows(page), UI).toEqual(keys((await apiEntries({ user: bob.username })).flat()));
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByLabel('Live mode').check();
    expect(await logIn(bob, IPHONE)).toBe(200);
    await projected(bob, 4);
    const all = (await apiEntries({ user: bob.username })).flat();
    expect(all.filter((e) => e.event === 'auth.login.succeeded')).toHaveLength(1);
    await expect.poll(() => tableRows(page), UI).toEqual(keys(all));
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'new entr' }).textContent(), UI).toContain('since live mode began');
    expect(await page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument)).toBe(true);

    // Away from the screen, nothing more is asked.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'General settings' }).waitFor();
    const asked: string[] = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.endsWith('/logs')) asked.push(req.url());
    });
    await page.waitForTimeout(5000); // more than two polls' worth
    expect(asked).toEqual([]);
    await page.close();
  });

  it('exports the filtered view as a CSV file, every page of it', async () => {
    const page = await openLogs(`?user=${alice.username}&per_page=5`);
    await page.getByRole('button', { name: 'Next page' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^headlesskey-log-.*\.csv$/);
    const text = await readFile((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([
      'id',
      'occurred_at',
      'event',
      'outcome',
      'user_id',
      'user_login',
      'ip',
      'browser',
      'os',
      'device_type',
      'user_agent',
      'trace_id',
      'data',
    ]);
    const entries = (await apiEntries({ user: alice.username })).flat();
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual(entries.map((e) => [e.id, e.occurred_at, e.event]));
    expect(rows.slice(1).every((r) => r[5] === alice.username && r[10] === CHROME)).toBe(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Exported' }).textContent(), UI).toBe('Exported 13 entries.');
    await page.close();
  });

  it(
    'shows markup and script URLs in a login, a name and a user agent as text, running nothing',
    async () => {
      let seen: string[] = [];
      browser.context.once('page', (p) => {
        seen = watchForInjection(p);
      });
      const page = await openLogs(`?user=${evil.id}`);
      await expect.poll(() => page.locator('tbody tr').count(), UI).toBe(2);
      const registered = page.locator('tbody tr', { hasText: 'user.registered' });
      expect(await registered.locator('td:nth-child(4)').textContent()).toBe(`${evil.username} #${evil.id}`);
      expect(await registered.locator('td:nth-child(6) span').getAttribute('title')).toBe(EVIL);
      await registered.getByText('More').click();
      expect(await registered.locator('dd').first().textContent()).toBe(EVIL);
      expect(JSON.parse((await registered.locator('pre').textContent())!)).toMatchObject({ display_name: EVIL, user_login: evil.username });
      expect(await page.locator('main img, main [href^="javascript:" i], main [src]').count()).toBe(0);
      expect(await accessibilityProblems(page)).toEqual([]);
      expect(seen).toEqual([]);
      await page.close();
    },
    SLOW,
  );

  it(
    'works by keyboard alone',
    async () => {
      const page = await openLogs('');
      await page.getByRole('heading', { name: 'Activity log' }).waitFor();
      const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || '');
      const tabTo = async (target: string) => {
        for (let i = 0; i < 40 && (await focused()) !== target; i++) await page.keyboard.press('Tab');
        expect(await focused()).toBe(target);
      };
      await tabTo('log-user');
      await page.keyboard.type(alice.username);
      // Each field in order; a date-time field takes a Tab per part (day, month, year…).
      const visited: string[] = [];
      while (visited.length < 8 && visited.at(-1) !== 'Event types: all') {
        await page.keyboard.press('Tab');
        const now = await focused();
        if (now !== visited.at(-1)) visited.push(now);
      }
      expect(visited).toEqual(['log-ip', 'log-since', 'log-until', 'log-per_page', 'Event types: all']);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space'); // the first event type: user.registered
      await tabTo('Apply filters');
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).searchParams.get('event'), UI).toBe('user.registered');
      expect(new URL(page.url()).searchParams.get('user')).toBe(alice.username);
      await expect
        .poll(() => tableRows(page), UI)
        .toEqual(keys((await apiEntries({ user: alice.username, event: 'user.registered' })).flat()));
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.close();
    },
    SLOW,
  );
});

/** RFC 4180: quoted fields, doubled quotes, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let at = 0;
  while (at < text.length) {
    if (text[at] !== '"') throw new Error(`unquoted field at ${at}`);
    let value = '';
    for (at++; ; at++) {
      if (text[at] === '"' && text[at + 1] === '"') value += text[at++];
      else if (text[at] === '"') break;
      else value += text[at];
    }
    row.push(value);
    at++;
    if (text[at] === ',') at++;
    else if (text.startsWith('\r\n', at)) {
      rows.push(row);
      row = [];
      at += 2;
    } else throw new Error(`bad separator at ${at}`);
  }
  return rows;
}

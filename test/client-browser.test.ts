import type { HeadlessKeyClient } from '@headlesskey/client';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openBrowser, startPageServer } from './support/browser.js';
import type { TestSystem } from './support/system.js';
import { type Bus, claimsOf, revoke, withTokensSystem } from './support/tokens.js';
import { eventually, newUser } from './support/users.js';

/** `window.tab` of test/support/browser.ts's page. */
interface Tab {
  events: { event: string; token: string | null }[];
  refreshes: (string | null)[];
  client: HeadlessKeyClient;
  locks: boolean;
  start(url: string, storageKey: string, refreshMargin: number): Promise<string | null>;
}
declare const window: { tab: Tab };

/**
 * `@headlesskey/client` in real Chromium tabs of one origin sharing `localStorage`: tabs whose
 * token expires together rotate it once (with `refresh_grace` 0, a second rotation of the same
 * token would be reuse and end the session), a sign-out in one tab signs the others out, and a
 * session revoked on the server ends in every tab.
 */
describe('@headlesskey/client in Chromium tabs', () => {
  let system: TestSystem;
  let bus: Bus;
  let pageServer: Awaited<ReturnType<typeof startPageServer>>;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let opened: Page[] = [];

  withTokensSystem(async (started, opened) => {
    system = started;
    bus = opened;
    pageServer = await startPageServer();
    browser = await openBrowser();
    await bus.setSetting('refresh_grace', 0);
  });
  // Runs before withTokensSystem's own afterAll (hooks unwind as a stack): the tabs go before the system.
  afterAll(async () => {
    await browser?.close();
    await pageServer?.close();
  });

  /** Sets `token_ttl` and waits until a new token has that lifetime. */
  const tokenTtl = async (seconds: number) => {
    await bus.setSetting('token_ttl', seconds);
    await eventually(async () => {
      const reply = await system.post<{ token_response: { expires_in: number } }>('/register', newUser('probe'));
      return reply.body.token_response?.expires_in === seconds ? true : undefined;
    });
  };

  /** `count` tabs of the page, each with a started client on `storageKey`. */
  const tabs = async (count: number, storageKey: string, refreshMargin = 60_000) => {
    for (const page of opened) await page.close();
    opened = [];
    for (let i = 0; i < count; i++) {
      const page = await browser.context.newPage();
      await page.goto(pageServer.url);
      await page.waitForFunction(() => document.title === 'ready');
      await page.evaluate(([url, key, margin]) => window.tab.start(url, key, margin), [system.apiUrl, storageKey, refreshMargin] as const);
      opened.push(page);
    }
    return opened;
  };
  const tokenIn = (page: Page) => page.evaluate(() => window.tab.client.session?.token ?? null);
  /** Waits until `test` holds in every tab; a timeout says what each tab saw. */
  const everyTab = async (pages: Page[], test: (arg: any) => boolean, arg?: unknown) => {
    try {
      await Promise.all(pages.map((page) => page.waitForFunction(test, arg, { timeout: 30_000 })));
    } catch (err) {
      const seen = await Promise.all(
        pages.map((page) => page.evaluate(() => ({ events: window.tab.events, session: window.tab.client.session?.token ?? null }))),
      );
      throw new Error(`${(err as Error).message}\ntabs saw: ${JSON.stringify(seen, null, 1)}`);
    }
  };

  /** A user signed in in the first tab, and every tab holding that session. */
  const signedIn = async (pages: Page[]) => {
    const user = newUser('tab');
    expect((await system.post('/register', user)).status).toBe(201);
    const token = await pages[0]!.evaluate((u) => window.tab.client.login(u).then((r: { token: string }) => r.token), {
      username: user.username,
      password: user.password,
    });
    await everyTab(pages, (t) => window.tab.client.session?.token === t, token);
    return token;
  };

  for (const count of [2, 5]) {
    it(`${count} tabs whose token expires together refresh it once, and each ends with a working token`, async () => {
      await tokenTtl(60);
      const pages = await tabs(count, `together-${count}`, 55_000);
      expect(await pages[0]!.evaluate(() => window.tab.locks)).toBe(true);
      const first = await signedIn(pages);
      const { jti, sid } = claimsOf(first);
      // The next token lives an hour: the one rotation looked for here is the only one in the test.
      await tokenTtl(3600);

      // Every tab's timer fires at once, a tenth of the 60 s lifetime in.
      await everyTab(pages, () => window.tab.events.some((e) => e.event === 'refreshed'));
      const rotated = await bus.waitForEvent('token.refreshed', (e) => e.data.parent_jti === jti);
      const next = await tokenIn(pages[0]!);
      expect(claimsOf(next ?? '').jti).toBe(rotated.data.jti);
      for (const page of pages) expect(await tokenIn(page)).toBe(next);

      // One request presented the expired token, from one tab; the server rotated it once.
      const presented = (await Promise.all(pages.map((page) => page.evaluate(() => window.tab.refreshes)))).flat();
      expect(presented.filter((header) => header === `Bearer ${first}`)).toHaveLength(1);
      expect(bus.events.filter((e) => e.type === 'token.refreshed' && e.data.parent_jti === jti)).toHaveLength(1);
      for (const page of pages)
        expect(await page.evaluate(() => window.tab.client.validate().then((r: { valid: boolean }) => r.valid))).toBe(true);
      expect(bus.events.some((e) => e.type === 'token.reuse_detected' && e.data.session_id === sid)).toBe(false);
      // The spent token's mark is held (by the tab that rotated it), for any tab granted the lock after it to see.
      const held = await pages[0]!.evaluate(() =>
        (globalThis as any).navigator.locks.query().then((s: { held: { name: string }[] }) => s.held.map((lock) => lock.name)),
      );
      expect(held).toContain(`headlesskey:together-${count}:rotated:${jti}`);
    }, 90_000);
  }

  it('a sign-out in one tab signs out the others', async () => {
    const pages = await tabs(3, 'sign-out');
    const token = await signedIn(pages);
    await pages[1]!.evaluate(() => window.tab.client.logout());
    await everyTab(pages, () => window.tab.client.session === null && window.tab.events.at(-1)?.event === 'signed_out');
    expect((await system.post<{ code: string }>('/token/validate', { token })).body.code).toBe('headlesskey_token_revoked');
  }, 60_000);

  it('a session revoked on the server ends in every tab once one tab finds out', async () => {
    const pages = await tabs(3, 'revoked');
    const token = await signedIn(pages);
    expect((await revoke(system, token)).status).toBe(200);
    const code = await pages[2]!.evaluate(() =>
      window.tab.client.me().then(
        () => 'answered',
        (err: { code: string }) => err.code,
      ),
    );
    expect(code).toBe('headlesskey_token_revoked');
    await everyTab(pages, () => window.tab.client.session === null && window.tab.events.at(-1)?.event === 'session_ended');
  }, 60_000);
});

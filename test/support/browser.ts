import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium: Playwright's own download is not used. */
export const CHROMIUM = process.env.HEADLESSKEY_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Headless Chromium on a profile of its own, removed again by `close`. Its pages share one origin's storage. */
export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'hk-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The page every tab loads: the client's browser bundle, and `window.tab` for the test to drive
 * it — a client on `localStorage`, the auth events it emitted, and the token each of its
 * `/token/refresh` requests presented (counted in its fetch).
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>tab</title>
<script type="module">
import * as hk from './client.js';
const refreshes = [];
const counted = (input, init) => {
  if (String(input).endsWith('/token/refresh')) refreshes.push(new Headers(init && init.headers).get('authorization'));
  return fetch(input, init);
};
window.tab = {
  refreshes, events: [], client: null, locks: Boolean(navigator.locks),
  async start(url, storageKey, refreshMargin) {
    this.client = hk.createClient({ url, storageKey, refreshMargin, store: hk.localStorageStore(), fetch: counted });
    this.client.onAuthStateChange((event, session) => this.events.push({ event, token: session ? session.token : null }));
    const session = await this.client.getSession();
    return session ? session.token : null;
  },
};
document.title = 'ready';
</script>`;

/** A static server of the page and the bundle, on a loopback port: a secure context, another origin than the API. */
export async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await build({
    entryPoints: [resolve(import.meta.dirname, '../../packages/client/dist/index.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    const isScript = req.url === '/client.js';
    res.writeHead(isScript || req.url === '/' ? 200 : 404, {
      'content-type': isScript ? 'text/javascript' : 'text/html',
      'cache-control': 'no-store',
    });
    res.end(isScript ? script : req.url === '/' ? PAGE : '');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

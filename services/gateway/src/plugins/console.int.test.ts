import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../config.js';
import { CONSOLE_CSP, registerConsole } from './console.js';
import { registerErrorHandling } from './errors.js';

/** The console's files as served from a build on disk: headers, caching, deep links, the switch, no build. */
const INDEX = `<!doctype html><html><head><meta name="headlesskey-api" content="/wp-json/headlesskey/v1" />
<script type="module" crossorigin src="./assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>`;
const SCRIPT = 'console.log("console")';

let dir: string;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hk-console-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await rm(dir, { recursive: true, force: true });
});

async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
  const config = readGatewayConfig({ HEADLESSKEY_CONSOLE_DIR: dir, ...env });
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  registerErrorHandling(app);
  registerConsole(app, config.console, '/wp-json/auth/v2');
  app.get('/wp-json/auth/v2/settings', async () => ({ ok: true }));
  apps.push(app);
  await app.ready();
  return app;
}

describe('the admin console', () => {
  it('serves its index with the strict CSP, never cached, pointing at its assets and the REST base', async () => {
    const app = await appWith({});
    for (const url of ['/admin/', '/admin']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('src="/admin/assets/index-abc123.js"');
      expect(res.body).toContain('<meta name="headlesskey-api" content="/wp-json/auth/v2"');
    }
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
  });

  it('caches hashed assets for a year, immutable', async () => {
    const res = await (await appWith({})).inject('/admin/assets/index-abc123.js');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(SCRIPT);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });

  it('answers a client route with the index, and a missing asset with a 404 in the API shape', async () => {
    const app = await appWith({});
    const deep = await app.inject('/admin/settings/tokens');
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['cache-control']).toBe('no-store');
    expect(deep.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(deep.body).toContain('src="/admin/assets/index-abc123.js"');
    const missing = await app.inject('/admin/assets/gone-000.js');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ data: { status: 404 } });
  });

  it('serves at the configured path, leaving the API alone', async () => {
    const app = await appWith({ HEADLESSKEY_CONSOLE_PATH: '/ops/console/' });
    const res = await app.inject('/ops/console/settings');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('src="/ops/console/assets/index-abc123.js"');
    expect((await app.inject('/admin/')).statusCode).toBe(404);
    const api = await app.inject('/wp-json/auth/v2/settings');
    expect(api.json()).toEqual({ ok: true });
    expect(api.headers['content-security-policy']).toBeUndefined();
  });

  it('is not served when HEADLESSKEY_CONSOLE=false', async () => {
    const app = await appWith({ HEADLESSKEY_CONSOLE: 'false' });
    expect((await app.inject('/admin/')).statusCode).toBe(404);
    expect((await app.inject('/admin/assets/index-abc123.js')).statusCode).toBe(404);
  });

  it('answers 503 in the API shape when the console was not built, and the gateway runs on', async () => {
    const app = await appWith({ HEADLESSKEY_CONSOLE_DIR: join(dir, 'nowhere') });
    for (const url of ['/admin/', '/admin/settings']) {
      const res = await app.inject(url);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'headlesskey_unavailable', data: { status: 503 } });
    }
    expect((await app.inject('/wp-json/auth/v2/settings')).statusCode).toBe(200);
  });
});

import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, call, envelope, publishEvent, rawBus, serviceDb, type WpError } from './support/admin-api.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { eventually } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

interface Delivery {
  attempts: number;
  status: string;
  last_error: string | null;
}

/**
 * The SSRF guard as deployed (`HEADLESSKEY_WEBHOOK_ALLOW_PRIVATE` off). No network is needed:
 * every target here is refused before any packet leaves, and the one real server is on loopback.
 */
describe('webhook SSRF guard', () => {
  let system: TestSystem;
  let admin: string;
  let nc: NatsConnection;
  let db: pg.Client;
  let hooks: Receiver;

  beforeAll(async () => {
    system = await startTestSystem({ env: { ...ADMIN_ENV, HEADLESSKEY_WEBHOOK_POLL_MS: '50', HEADLESSKEY_WEBHOOK_RETRY_SCALE: '0.01' } });
    admin = await adminToken(system);
    nc = await rawBus();
    db = await serviceDb(system, 'webhooks');
    hooks = await startReceiver();
  });
  afterAll(async () => {
    await Promise.allSettled([nc?.close(), db?.end(), hooks?.close()]);
    await system?.stop();
  });

  it('refuses internal targets at creation, however the address is written', async () => {
    const port = hooks.port;
    const targets = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://2130706433:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://127.1:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://10.0.0.1/',
      'http://172.16.5.4/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://0.0.0.0/',
      'http://0/',
    ];
    for (const url of targets) {
      const reply = await call<WpError>(system, admin, 'POST', '/webhooks', { url });
      expect(reply.status, url).toBe(400);
      expect(reply.body.code, url).toBe('rest_invalid_param');
      expect((reply.body.data.params as Record<string, string>).url, url).toMatch(/^url (points to|names a host that resolves to) /);
    }
    expect((await call<{ webhooks: unknown[] }>(system, admin, 'GET', '/webhooks')).body.webhooks).toEqual([]);
    expect(hooks.received).toEqual([]);
  });

  it('refuses other schemes and URLs with credentials', async () => {
    for (const url of ['file:///etc/passwd', 'gopher://example.com/', 'ftp://example.com/', 'https://user:pw@example.com/']) {
      const reply = await call<WpError>(system, admin, 'POST', '/webhooks', { url });
      expect(reply, url).toMatchObject({ status: 400, body: { code: 'rest_invalid_param' } });
    }
  });

  it('refuses a loopback address again at connect time, whatever got past creation', async () => {
    // As if the host had resolved to a public address at creation and to loopback later (DNS rebinding).
    const ids = [randomUUID(), randomUUID()];
    await db.query(
      `insert into endpoints (id, url, events, secret) values ($1, $2, '["auth.login.failed"]', $4), ($3, $5, '["auth.login.failed"]', $4)`,
      [
        ids[0],
        `http://127.0.0.1:${hooks.port}/literal`,
        ids[1],
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        `http://localhost:${hooks.port}/named`,
      ],
    );
    await publishEvent(nc, system.names, envelope('auth.login.failed', { user_id: null, reason: 'invalid_credentials' }));
    const [literal, named] = await eventually(async () => {
      const rows = await Promise.all(
        ids.map(
          async (id) => (await call<{ deliveries: Delivery[] }>(system, admin, 'GET', `/webhooks/${id}/deliveries`)).body.deliveries[0],
        ),
      );
      return rows.every((row) => row && row.attempts >= 2) ? rows : undefined;
    }, 15_000);
    expect(literal!.last_error).toBe('refused: 127.0.0.1, a loopback address');
    expect(named!.last_error).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(hooks.received).toEqual([]);
  });
});

import { freePort } from '@headlesskey/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ENV, adminToken, createEndpoint } from './support/admin-api.js';
import { type Sample, sampleValue, scrape } from './support/prometheus.js';
import { startTestSystem, type TestSystem } from './support/system.js';
import { claimsOf, type Issued, login, refresh, register } from './support/tokens.js';
import { eventually } from './support/users.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

/** Operators scrape each process's own `/metrics` port; these are a few of them. */
describe('metrics for Prometheus', () => {
  let system: TestSystem;
  const ports = { gateway: 0, identity: 0, tokens: 0, audit: 0, webhooks: 0 };
  let admin: string;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    for (const service of Object.keys(ports) as (keyof typeof ports)[]) ports[service] = await freePort();
    const serviceEnv = Object.fromEntries(
      Object.entries(ports).map(([service, port]) => [service, { HEADLESSKEY_METRICS_PORT: String(port) }]),
    );
    system = await startTestSystem({ serviceEnv, env: { ...ADMIN_ENV, HEADLESSKEY_OUTBOUND_ALLOW_PRIVATE: 'true' } });
    admin = await adminToken(system);
  });
  afterAll(async () => {
    await Promise.allSettled(receivers.map((r) => r.close()));
    await system?.stop();
  });

  /** Scrapes until `probe` finds what it looks for: the gateway records a request once it has answered it. */
  const until = (port: number, probe: (samples: Sample[]) => boolean) =>
    eventually(async () => {
      const samples = await scrape(port);
      return probe(samples) ? samples : undefined;
    });

  it('count logins by outcome, time POST /token by route and status, and count refreshes and reuse', async () => {
    // The administrator's login before this test counts as one.
    expect(sampleValue(await scrape(ports.identity), 'headlesskey_identity_logins_total', { outcome: 'succeeded' })).toBe(1);
    const user = await register(system, 'metrics');
    const first = await login(system, user);
    expect(first.status).toBe(200);
    expect((await login(system, { ...user, password: 'not the password at all' })).status).toBe(403);
    const once = (await refresh(system, first.body.token)).body as Issued;
    await refresh(system, once.token);
    // The grandparent of the live token: reuse, which ends the session.
    expect((await refresh(system, first.body.token)).status).toBe(401);
    expect(claimsOf(once.token).sid).toBe(claimsOf(first.body.token).sid);

    const identity = await scrape(ports.identity);
    expect(sampleValue(identity, 'headlesskey_identity_logins_total', { outcome: 'succeeded' })).toBe(2);
    expect(sampleValue(identity, 'headlesskey_identity_logins_total', { outcome: 'failed' })).toBe(1);
    expect(sampleValue(identity, 'headlesskey_identity_logins_total', { outcome: 'locked' })).toBeUndefined();

    const tokens = await scrape(ports.tokens);
    expect(sampleValue(tokens, 'headlesskey_tokens_refreshes_total', { outcome: 'succeeded' })).toBe(2);
    expect(sampleValue(tokens, 'headlesskey_tokens_refreshes_total', { outcome: 'refused' })).toBe(1);
    expect(sampleValue(tokens, 'headlesskey_tokens_reuse_detections_total')).toBe(1);

    const route = '/wp-json/headlesskey/v1/token';
    const token = { http_request_method: 'POST', http_route: route };
    // The administrator's and the user's logins answered 200, the wrong password 403.
    const gateway = await until(
      ports.gateway,
      (s) => sampleValue(s, 'http_server_request_duration_count', { ...token, http_response_status_code: '403' }) === 1,
    );
    expect(sampleValue(gateway, 'http_server_request_duration_count', { ...token, http_response_status_code: '200' })).toBe(2);
    expect(sampleValue(gateway, 'http_server_request_duration_bucket', { ...token, http_response_status_code: '200', le: '+Inf' })).toBe(2);
    expect(sampleValue(gateway, 'http_server_request_duration_sum', { ...token, http_response_status_code: '200' })).toBeGreaterThan(0);
  });

  it('report the outbox and the consumers: all handled once the system is idle', async () => {
    const consumer = system.names.consumer('audit');
    const audit = await until(ports.audit, (s) => sampleValue(s, 'headlesskey_consumer_pending', { consumer }) === 0);
    expect(sampleValue(audit, 'headlesskey_consumer_lag', { consumer })).toBeGreaterThanOrEqual(0);
    const identity = await until(ports.identity, (s) => sampleValue(s, 'headlesskey_outbox_backlog') === 0);
    expect(sampleValue(identity, 'headlesskey_outbox_lag')).toBe(0);
  });

  it('count webhook attempts by outcome and show the deliveries waiting for another', async () => {
    const accepting = await startReceiver();
    const failing = await startReceiver(() => ({ status: 500 }));
    receivers.push(accepting, failing);
    await createEndpoint(system, admin, accepting.url, { events: ['auth.login.failed'] });
    await createEndpoint(system, admin, failing.url, { events: ['auth.login.failed'] });
    expect((await login(system, { username: 'nobody_here', password: 'not the password at all' })).status).toBe(403);

    // The failing endpoint's delivery waits 5 s (the schedule's first step) for its next attempt.
    const webhooks = await until(
      ports.webhooks,
      (s) =>
        sampleValue(s, 'headlesskey_webhooks_attempts_total', { outcome: 'retrying' }) === 1 &&
        sampleValue(s, 'headlesskey_webhooks_attempts_total', { outcome: 'delivered' }) === 1,
    );
    expect(sampleValue(webhooks, 'headlesskey_webhooks_queue_depth')).toBe(1);
  });
});
